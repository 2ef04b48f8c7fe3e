package org.myelin.federation.protocol.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.json.JsonMapper;

/** Reading m.ignored_user_list content and refusing to ignore oneself. */
class IgnoredUsersTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void theIgnoredUsersShouldBeTheKeysOfIgnoredUsers() {
        assertThat(IgnoredUsers.of(MAPPER.readTree("{\"ignored_users\":{\"@a:x\":{},\"@b:x\":{}}}")))
                .containsExactlyInAnyOrder("@a:x", "@b:x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"ignored_users\":[\"@a:x\"]}", "{\"ignored_users\":\"@a:x\"}",
            "{\"ignored_users\":null}"})
    void contentOfAnotherShapeShouldIgnoreNobody(String content) {
        assertThat(IgnoredUsers.of(MAPPER.readTree(content))).isEmpty();
        assertThat(IgnoredUsers.of(null)).isEmpty();
    }

    @Test
    void ignoringOneselfShouldBeAnInvalidParameter() {
        assertThatThrownBy(() -> IgnoredUsers.checkWritable("@me:x",
                MAPPER.readTree("{\"ignored_users\":{\"@me:x\":{}}}")))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        IgnoredUsers.checkWritable("@me:x", MAPPER.readTree("{\"ignored_users\":{\"@other:x\":{}}}"));
    }
}
