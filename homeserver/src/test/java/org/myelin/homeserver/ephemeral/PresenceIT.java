package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.presence.PresenceSource;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;

/** PUT/GET /presence/{userId}/status, set_presence from sync, and the "presence" sync stream. */
class PresenceIT extends EphemeralIT {

    @Autowired
    private PresenceSource source;
    @Autowired
    private PresenceService setter;

    @Test
    void presenceShouldBeSetByItsOwnerAndSeenBySharersOnly() {
        Session alice = user("pra");
        Session bob = user("prb");
        Session stranger = user("prc");
        String room = createRoom(alice);
        join(bob, room);

        expectError(put(status(alice), Map.of("presence", "online"), null), 401, "M_MISSING_TOKEN");
        expectError(put(status(alice), Map.of("presence", "online"), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(put(status(alice), Map.of("presence", "away"), alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(put(status(alice), Map.of(), alice.accessToken()), 400, "M_MISSING_PARAM");
        expectError(put(status(alice), Map.of("presence", "online", "status_msg", 3), alice.accessToken()), 400,
                "M_BAD_JSON");
        assertThat(ok(get(status(alice), bob.accessToken()))).isEqualTo(Map.of("presence", "offline"));

        ok(put(status(alice), Map.of("presence", "online", "status_msg", "lunch"), alice.accessToken()));

        Map<String, Object> seen = ok(get(status(alice), bob.accessToken()));
        assertThat(seen).containsEntry("presence", "online").containsEntry("status_msg", "lunch")
                .containsEntry("currently_active", true);
        assertThat(((Number) seen.get("last_active_ago")).longValue()).isBetween(0L, 60_000L);
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "online");
        expectError(get(status(alice), stranger.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(V3 + "/presence/@nobody:test.local/status", alice.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(V3 + "/presence/nobody/status", alice.accessToken()), 400, "M_INVALID_PARAM");
    }

    @Test
    void syncShouldCarryPresenceOfUsersSharingARoomOnly() {
        Session alice = user("prd");
        Session bob = user("pre");
        Session stranger = user("prf");
        String room = createRoom(alice);
        join(bob, room);
        createRoom(stranger);
        long before = source.currentPosition().block();

        ok(put(status(alice), Map.of("presence", "unavailable"), alice.accessToken()));
        ok(put(status(stranger), Map.of("presence", "online"), stranger.accessToken()));
        long afterFirst = source.currentPosition().block();
        ok(put(status(bob), Map.of("presence", "online"), bob.accessToken()));

        SyncResponseBuilder bobs = contribute(source, syncRequest(bob, Set.of(room)), before);
        assertThat(bobs.presence()).extracting(e -> e.get("sender").asString())
                .containsExactly(alice.userId(), bob.userId());
        assertThat(bobs.presence().get(0).get("type").asString()).isEqualTo("m.presence");
        assertThat(bobs.presence().get(0).get("content").get("presence").asString()).isEqualTo("unavailable");
        assertThat(bobs.presence().get(0).get("content").get("currently_active").asBoolean()).isFalse();
        assertThat(contribute(source, syncRequest(bob, Set.of(room)), afterFirst).presence())
                .extracting(e -> e.get("sender").asString()).containsExactly(bob.userId());
        assertThat(contribute(source, syncRequest(stranger, Set.of()), 0).presence())
                .extracting(e -> e.get("sender").asString()).containsExactly(stranger.userId());
    }

    @Test
    void setPresenceFromSyncShouldChangeStateOnlyWhenItDiffers() {
        Session alice = user("prg");
        long before = source.currentPosition().block();

        setter.setFromSync(alice.userId(), null).block();
        long afterOnline = source.currentPosition().block();
        setter.setFromSync(alice.userId(), "online").block();
        setter.setFromSync(alice.userId(), "offline").block();

        assertThat(afterOnline).isGreaterThan(before);
        assertThat(source.currentPosition().block()).isEqualTo(afterOnline);
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "online");
        setter.setFromSync(alice.userId(), "unavailable").block();
        assertThat(source.currentPosition().block()).isGreaterThan(afterOnline);
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "unavailable");
    }

    private static String status(Session s) {
        return V3 + "/presence/" + s.userId() + "/status";
    }

    @Test
    void syncSetPresenceShouldUpdatePresenceAndRefuseUnknownStates() {
        Session alice = user("prs");
        expectError(get(V3 + "/sync?set_presence=away", alice.accessToken()), 400, "M_INVALID_PARAM");

        ok(get(V3 + "/sync?set_presence=unavailable", alice.accessToken()));
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "unavailable");

        ok(get(V3 + "/sync?set_presence=offline", alice.accessToken()));
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "unavailable");

        ok(get(V3 + "/sync", alice.accessToken()));
        assertThat(ok(get(status(alice), alice.accessToken()))).containsEntry("presence", "online");
    }
}
