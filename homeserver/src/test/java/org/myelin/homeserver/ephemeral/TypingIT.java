package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.typing.TypingSource;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.db.notify.StreamPosition;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.node.ObjectNode;

/** PUT /rooms/{roomId}/typing/{userId} and the "typing" sync stream, expiry included. */
class TypingIT extends EphemeralIT {

    @Autowired
    private TypingSource source;

    @Test
    void typingShouldBeOnlyForOneselfInAJoinedRoom() {
        Session alice = user("typa");
        Session bob = user("typb");
        String room = createRoom(alice);

        expectError(put(typing(room, alice), Map.of("typing", true), null), 401, "M_MISSING_TOKEN");
        expectError(put(typing(room, alice), Map.of("typing", true), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(put(typing(room, bob), Map.of("typing", true), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(put(typing(room, alice), Map.of(), alice.accessToken()), 400, "M_MISSING_PARAM");
        expectError(put(typing(room, alice), Map.of("typing", "yes"), alice.accessToken()), 400, "M_BAD_JSON");
        expectError(put(typing(room, alice), Map.of("typing", true, "timeout", -1), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(put(V3 + "/rooms/notaroom/typing/" + alice.userId(), Map.of("typing", true),
                alice.accessToken()), 400, "M_INVALID_PARAM");
        assertThat(ok(put(typing(room, alice), Map.of("typing", true, "timeout", 30000), alice.accessToken())))
                .isEmpty();
    }

    @Test
    void syncShouldReportTypersInitiallyAndChangedRoomsIncrementally() {
        Session alice = user("typc");
        Session bob = user("typd");
        String room = createRoom(alice);
        String quiet = createRoom(bob);
        join(bob, room);
        SyncRequest bobs = syncRequest(bob, Set.of(room, quiet));
        long before = source.currentPosition().block();

        ok(put(typing(room, alice), Map.of("typing", true, "timeout", 30000), alice.accessToken()));

        assertThat(typers(contribute(source, bobs, 0))).isEqualTo(Map.of(room, List.of(alice.userId())));
        assertThat(typers(contribute(source, bobs, before))).isEqualTo(Map.of(room, List.of(alice.userId())));
        long afterStart = source.currentPosition().block();
        assertThat(afterStart).isGreaterThan(before);
        assertThat(contribute(source, bobs, afterStart).isEmpty()).isTrue();

        ok(put(typing(room, alice), Map.of("typing", false), alice.accessToken()));

        assertThat(typers(contribute(source, bobs, afterStart))).isEqualTo(Map.of(room, List.of()));
        assertThat(contribute(source, bobs, 0).isEmpty()).isTrue();
        assertThat(contribute(source, syncRequest(bob, Set.of(quiet)), afterStart).isEmpty()).isTrue();
    }

    @Test
    void anExpiredNotificationShouldGetAPositionAndEndTheTyping() throws InterruptedException {
        Session alice = user("type");
        String room = createRoom(alice);
        SyncRequest alices = syncRequest(alice, Set.of(room));
        ok(put(typing(room, alice), Map.of("typing", true, "timeout", 300), alice.accessToken()));
        long typingPosition = source.currentPosition().block();
        assertThat(typers(contribute(source, alices, 0))).containsKey(room);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (source.currentPosition().block() == typingPosition && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertThat(source.currentPosition().block()).isGreaterThan(typingPosition);
        assertThat(typers(contribute(source, alices, typingPosition))).isEqualTo(Map.of(room, List.of()));
        assertThat(contribute(source, alices, 0).isEmpty()).isTrue();
    }

    @Test
    void wakeUpsShouldConcernOnlyJoinedRooms() {
        Session alice = user("typf");
        SyncRequest request = syncRequest(alice, Set.of("!a:test.local"));

        assertThat(source.concerns(StreamPosition.of("typing", 3, "!a:test.local"), request)).isTrue();
        assertThat(source.concerns(StreamPosition.of("typing", 3, "!b:test.local"), request)).isFalse();
        assertThat(source.concerns(StreamPosition.of("receipts", 3, "!a:test.local"), request)).isFalse();
    }

    private static String typing(String room, Session s) {
        return V3 + "/rooms/" + room + "/typing/" + s.userId();
    }

    /** user_ids of each m.typing event, by room. */
    private static Map<String, List<String>> typers(SyncResponseBuilder out) {
        Map<String, List<String>> byRoom = new HashMap<>();
        out.roomEphemeral().forEach((room, events) -> {
            assertThat(events).hasSize(1);
            ObjectNode event = events.get(0);
            assertThat(event.get("type").asString()).isEqualTo("m.typing");
            List<String> ids = new ArrayList<>();
            event.get("content").get("user_ids").forEach(n -> ids.add(n.asString()));
            byRoom.put(room, ids);
        });
        return byRoom;
    }
}
