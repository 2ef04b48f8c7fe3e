package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The server-server paths ({@code /_matrix/federation/**}, {@code /_matrix/key/**}) reach the shared router and its
 * fallback, not client-only logic: an unknown path is 404 M_UNRECOGNIZED JSON, with a request id, without CORS
 * headers. There is no CORS there: a plain OPTIONS request is routed like any other (404), and a browser's pre-flight
 * gets no CORS headers (Spring's own pre-flight answer), so browsers refuse the server-server API.
 */
class ServerServerPathsIT extends HomeserverIT {

    private static final String[] UNKNOWN = {"/_matrix/federation/v1/nonexistent", "/_matrix/key/v2/nonexistent"};

    @Test
    void unknownServerServerPathsShouldBe404UnrecognizedJson() {
        for (String path : UNKNOWN) {
            WebTestClient.ResponseSpec response = get(path, null);
            response.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                    .expectHeader().exists("X-Request-Id")
                    .expectHeader().doesNotExist("Access-Control-Allow-Origin");
            assertThat(expectError(response, 404, "M_UNRECOGNIZED")).containsKey("error");
        }
    }

    @Test
    void optionsOnServerServerPathsShouldBeRoutedLikeAnyRequest() {
        for (String path : UNKNOWN) {
            expectError(http.options().uri(path).exchange(), 404, "M_UNRECOGNIZED");
        }
    }

    @Test
    void preflightsOnServerServerPathsShouldGetNoCorsHeaders() {
        for (String path : UNKNOWN) {
            http.options().uri(path).header("Origin", "https://app.example")
                    .header("Access-Control-Request-Method", "GET").exchange()
                    .expectHeader().doesNotExist("Access-Control-Allow-Origin")
                    .expectHeader().doesNotExist("Access-Control-Allow-Methods");
        }
    }
}
