package org.myelin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class JsonFieldsTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void stringsShouldBeCheckedForTypeAndLength() {
        ObjectNode body = JSON.objectNode().put("name", "abc").put("n", 3);
        body.putArray("list").add("abc");
        assertThat(JsonFields.requiredString(body, "name", 3)).isEqualTo("abc");
        assertThat(JsonFields.optionalString(body, "absent")).isNull();
        assertError(() -> JsonFields.requiredString(body, "name", 2), ErrCode.M_TOO_LARGE, 400);
        assertError(() -> JsonFields.optionalString(body, "n"), ErrCode.M_BAD_JSON, 400);
        assertError(() -> JsonFields.requiredString(body, "list"), ErrCode.M_BAD_JSON, 400);
        assertError(() -> JsonFields.requiredString(body, "absent"), ErrCode.M_MISSING_PARAM, 400);
        assertError(() -> JsonFields.optionalString(JSON.objectNode().put("s", "x".repeat(TextLimits.DEFAULT + 1)),
                "s"), ErrCode.M_TOO_LARGE, 400);
    }

    @Test
    void validTextShouldRefuseNulAndLoneSurrogates() {
        assertThat(JsonBodies.isValidText("plain \uD83D\uDE00 emoji")).isTrue();
        assertThat(JsonBodies.isValidText("nul \0")).isFalse();
        assertThat(JsonBodies.isValidText("\uD800")).isFalse();
        assertThat(JsonBodies.isValidText("a\uDC00b")).isFalse();
        assertThat(JsonBodies.isValidText("\uD83D\uD83D")).isFalse();
        assertThat(JsonBodies.isValidText("end \uD83D")).isFalse();
    }

    @Test
    void excerptsShouldBeShort() {
        assertThat(TextLimits.excerpt("short")).isEqualTo("short");
        assertThat(TextLimits.excerpt("y".repeat(1000))).hasSize(TextLimits.EXCERPT + 1).endsWith("…");
    }

    private static void assertError(Runnable read, ErrCode errCode, int status) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(MatrixException.class, e -> {
            assertThat(e.errCode()).isEqualTo(errCode);
            assertThat(e.status()).isEqualTo(status);
        });
    }
}
