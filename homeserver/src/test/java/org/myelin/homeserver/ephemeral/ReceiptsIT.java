package org.myelin.homeserver.ephemeral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataSource;
import org.myelin.clientapi.ephemeral.receipts.ReceiptSource;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.homeserver.support.Accounts.Session;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Receipts, read markers, and the "receipts" sync stream. */
class ReceiptsIT extends EphemeralIT {

    @Autowired
    private ReceiptSource source;
    @Autowired
    private AccountDataSource accountData;

    @Test
    void receiptsShouldBeCheckedBeforeTheyAreStored() {
        Session alice = user("reca");
        Session bob = user("recb");
        String room = createRoom(alice);
        String event = send(alice, room, "hello");

        expectError(post(receipt(room, "m.read", event), Map.of(), null), 401, "M_MISSING_TOKEN");
        expectError(post(receipt(room, "m.read", event), Map.of(), bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(post(receipt(room, "m.unknown", event), Map.of(), alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.read", "nope"), Map.of(), alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.read", event), Map.of("thread_id", ""), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.read", event), Map.of("thread_id", 5), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.read", event), Map.of("thread_id", "thread"), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.fully_read", event), Map.of("thread_id", "main"), alice.accessToken()),
                400, "M_INVALID_PARAM");
        expectError(post(receipt(room, "m.read", "$unknown:test.local"), Map.of(), alice.accessToken()), 404,
                "M_NOT_FOUND");
        expectError(post(V3 + "/rooms/" + room + "/read_markers", Map.of("m.read", event), bob.accessToken()), 403,
                "M_FORBIDDEN");
        expectError(post(V3 + "/rooms/" + room + "/read_markers", Map.of("m.read", 1), alice.accessToken()), 400,
                "M_BAD_JSON");
        assertThat(ok(post(receipt(room, "m.read", event), Map.of(), alice.accessToken()))).isEmpty();
    }

    @Test
    void privateReceiptsShouldReachOnlyTheirOwner() {
        Session alice = user("recc");
        Session bob = user("recd");
        String room = createRoom(alice);
        join(bob, room);
        String event = send(alice, room, "hello");
        SyncRequest alices = syncRequest(alice, Set.of(room));
        SyncRequest bobs = syncRequest(bob, Set.of(room));
        long before = source.currentPosition().block();

        ok(post(receipt(room, "m.read", event), Map.of("thread_id", "main"), bob.accessToken()));
        ok(post(receipt(room, "m.read.private", event), Map.of(), alice.accessToken()));

        JsonNode seenByAlice = receipts(contribute(source, alices, before), room);
        assertThat(seenByAlice.get(event).get("m.read").get(bob.userId()).get("thread_id").asString())
                .isEqualTo("main");
        assertThat(seenByAlice.get(event).get("m.read").get(bob.userId()).get("ts").isNumber()).isTrue();
        assertThat(seenByAlice.get(event).get("m.read.private").has(alice.userId())).isTrue();
        JsonNode seenByBob = receipts(contribute(source, bobs, 0), room);
        assertThat(seenByBob.get(event).has("m.read.private")).isFalse();
        assertThat(seenByBob.get(event).get("m.read").has(bob.userId())).isTrue();
        assertThat(contribute(source, bobs, source.currentPosition().block()).isEmpty()).isTrue();
        assertThat(contribute(source, syncRequest(bob, Set.of()), 0).isEmpty()).isTrue();
    }

    @Test
    void aReceiptShouldNotMoveBackAndAnUnthreadedOneHasNoThreadId() {
        Session alice = user("rece");
        String room = createRoom(alice);
        String first = send(alice, room, "one");
        String second = send(alice, room, "two");
        SyncRequest alices = syncRequest(alice, Set.of(room));

        ok(post(receipt(room, "m.read", second), Map.of(), alice.accessToken()));
        long afterSecond = source.currentPosition().block();
        ok(post(receipt(room, "m.read", first), Map.of(), alice.accessToken()));

        assertThat(contribute(source, alices, afterSecond).isEmpty()).isTrue();
        JsonNode all = receipts(contribute(source, alices, 0), room);
        assertThat(all.has(first)).isFalse();
        assertThat(all.get(second).get("m.read").get(alice.userId()).has("thread_id")).isFalse();
    }

    @Test
    void readMarkersShouldSetFullyReadAsRoomAccountDataAndReceipts() {
        Session alice = user("recf");
        String room = createRoom(alice);
        String event = send(alice, room, "hello");
        SyncRequest alices = syncRequest(alice, Set.of(room));

        ok(post(V3 + "/rooms/" + room + "/read_markers",
                Map.of("m.fully_read", event, "m.read", event, "m.read.private", event), alice.accessToken()));

        JsonNode receipts = receipts(contribute(source, alices, 0), room);
        assertThat(receipts.get(event).has("m.read")).isTrue();
        assertThat(receipts.get(event).has("m.read.private")).isTrue();
        assertThat(receipts.get(event).has("m.fully_read")).isFalse();
        List<ObjectNode> roomData = contribute(accountData, alices, 0)
                .roomAccountData().get(room);
        assertThat(roomData).hasSize(1);
        assertThat(roomData.get(0).get("type").asString()).isEqualTo("m.fully_read");
        assertThat(roomData.get(0).get("content").get("event_id").asString()).isEqualTo(event);
        String later = send(alice, room, "later");
        ok(post(receipt(room, "m.fully_read", later), Map.of(), alice.accessToken()));
        assertThat(ok(get(V3 + "/user/" + alice.userId() + "/rooms/" + room + "/account_data/m.fully_read",
                alice.accessToken()))).isEqualTo(Map.of("event_id", later));
    }

    private static String receipt(String room, String type, String event) {
        return V3 + "/rooms/" + room + "/receipt/" + type + "/" + event;
    }

    /** The content of the room's one m.receipt event. */
    private static JsonNode receipts(SyncResponseBuilder out, String room) {
        assertThat(out.roomEphemeral()).containsOnlyKeys(room);
        assertThat(out.roomEphemeral().get(room)).hasSize(1);
        assertThat(out.roomEphemeral().get(room).get(0).get("type").asString()).isEqualTo("m.receipt");
        return out.roomEphemeral().get(room).get(0).get("content");
    }
}
