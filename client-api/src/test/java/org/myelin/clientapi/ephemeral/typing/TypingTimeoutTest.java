package org.myelin.clientapi.ephemeral.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.node.JsonNodeFactory;

class TypingTimeoutTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void timeoutShouldDefaultWhenAbsent() {
        assertThat(TypingHandler.timeoutMs(JSON.objectNode())).isEqualTo(TypingHandler.DEFAULT_TIMEOUT_MS);
        assertThat(TypingHandler.timeoutMs(JSON.objectNode().put("timeout", 5000))).isEqualTo(5000);
    }

    @Test
    void badTimeoutsShouldBeRefused() {
        assertThatThrownBy(() -> TypingHandler.timeoutMs(JSON.objectNode().put("timeout", "soon")))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
        assertThatThrownBy(() -> TypingHandler.timeoutMs(JSON.objectNode().put("timeout", -5)))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }
}
