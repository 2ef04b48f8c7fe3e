package org.myelin.homeserver.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Reads JSON bodies and checks that error bodies carry no stack traces or Java class names. */
public final class MatrixErrors {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() { };

    private MatrixErrors() {
    }

    /** The JSON object body of a response whose status was already checked. */
    public static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        Map<String, Object> body = response.expectBody(JSON_OBJECT).returnResult().getResponseBody();
        assertThat(body).as("JSON object body").isNotNull();
        return body;
    }

    /** No exception class names, packages or stack frames anywhere in the body. */
    public static void assertNoInternals(Map<String, Object> body) {
        assertThat(body.toString()).doesNotContainPattern("(?i)exception|java\\.|org\\.myelin|springframework|"
                + "reactor\\.|\\sat\\s+[\\w.$]+\\(|\\.java:\\d+");
    }
}
