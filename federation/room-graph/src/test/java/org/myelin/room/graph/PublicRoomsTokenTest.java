package org.myelin.room.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.db.room.PublicRoomsQuery.Position;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

class PublicRoomsTokenTest {

    @Test
    void tokensShouldRoundTripInBothDirections() {
        for (boolean backwards : new boolean[] {false, true}) {
            PublicRoomsToken token = new PublicRoomsToken(backwards, new Position(42, "!abc|def:hs.example"));
            assertThat(PublicRoomsToken.decode(token.encode())).isEqualTo(token);
        }
    }

    @Test
    void tokensShouldBeUrlSafe() {
        String token = new PublicRoomsToken(false, new Position(7, "!????>>>>:hs")).encode();
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void foreignTokensShouldBeInvalidParam() {
        for (String raw : List.of("x|1|!a:hs", "f|-1|!a:hs", "f|one|!a:hs", "f|1|a:hs", "f|1")) {
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            assertInvalid(token);
        }
        assertInvalid("not base64 !");
    }

    private static void assertInvalid(String token) {
        assertThatThrownBy(() -> PublicRoomsToken.decode(token)).as(token)
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
    }
}
