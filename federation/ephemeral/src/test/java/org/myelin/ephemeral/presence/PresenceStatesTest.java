package org.myelin.ephemeral.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.db.ephemeral.PresenceRepository.Presence;
import org.myelin.federation.protocol.error.MatrixException;

class PresenceStatesTest {

    @Test
    void contentShouldComputeLastActiveAgoAndCurrentlyActiveAtReadTime() {
        Presence online = new Presence("@a:x", "online", "hi", 1_000);

        assertThat(PresenceStates.content(online, 4_000).toString())
                .isEqualTo("{\"presence\":\"online\",\"last_active_ago\":3000,\"currently_active\":true,"
                        + "\"status_msg\":\"hi\"}");
        long later = 1_000 + PresenceStates.ACTIVE_WINDOW.toMillis();
        assertThat(PresenceStates.content(online, later).get("currently_active").asBoolean()).isFalse();
        assertThat(PresenceStates.content(new Presence("@a:x", "unavailable", null, 1_000), 2_000)
                .get("currently_active").asBoolean()).isFalse();
        assertThat(PresenceStates.content(new Presence("@a:x", "offline", null, 0), 2_000).toString())
                .isEqualTo("{\"presence\":\"offline\"}");
    }

    @Test
    void onlyTheSpecStatesShouldBeAccepted() {
        assertThat(PresenceStates.check("unavailable")).isEqualTo("unavailable");
        assertThatThrownBy(() -> PresenceStates.check("busy")).isInstanceOf(MatrixException.class);
    }
}
