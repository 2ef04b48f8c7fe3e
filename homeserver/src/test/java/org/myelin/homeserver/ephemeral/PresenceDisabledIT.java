package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.presence.PresenceSource;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** {@code myelin.presence.enabled=false}: updates accepted and ignored, nothing in sync, GET says offline. */
@TestPropertySource(properties = "myelin.presence.enabled=false")
class PresenceDisabledIT extends EphemeralIT {

    @Autowired
    private PresenceSource source;
    @Autowired
    private PresenceService setter;

    @Test
    void presenceShouldBeAcceptedButNeitherStoredNorSent() {
        Session alice = user("pda");
        Session bob = user("pdb");
        Session stranger = user("pdc");
        String room = createRoom(alice);
        join(bob, room);
        long before = source.currentPosition().block();

        assertThat(ok(put(V3 + "/presence/" + alice.userId() + "/status",
                Map.of("presence", "online", "status_msg", "here"), alice.accessToken()))).isEmpty();
        setter.setFromSync(bob.userId(), "online").block();

        assertThat(source.currentPosition().block()).isEqualTo(before);
        assertThat(contribute(source, syncRequest(bob, Set.of(room)), 0).isEmpty()).isTrue();
        assertThat(ok(get(V3 + "/presence/" + alice.userId() + "/status", bob.accessToken())))
                .isEqualTo(Map.of("presence", "offline"));
        expectError(get(V3 + "/presence/" + alice.userId() + "/status", stranger.accessToken()), 403,
                "M_FORBIDDEN");
        expectError(put(V3 + "/presence/" + alice.userId() + "/status", Map.of("presence", "online"),
                bob.accessToken()), 403, "M_FORBIDDEN");
    }
}
