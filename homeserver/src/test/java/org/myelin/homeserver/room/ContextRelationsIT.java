package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/** GET /context, /relations, /threads, /timestamp_to_event and POST /report through the real server. */
class ContextRelationsIT extends HomeserverIT {

    private RoomClient rooms;
    private RoomReads reads;
    private Session alice;
    private Session bob;
    private String roomId;

    @BeforeEach
    void room() {
        rooms = new RoomClient(http);
        reads = new RoomReads(rooms);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
        roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
    }

    @Test
    void contextShouldSurroundTheEventAndHandOutMessagesTokens() {
        String[] ids = new String[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = rooms.send(alice, roomId, "c" + i, Map.of("body", "m" + i));
        }
        Map<String, Object> context = reads.ok(bob, RoomClient.room(roomId) + "/context/" + ids[2] + "?limit=2");
        assertThat(context.get("event")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("event_id", ids[2]);
        assertThat(RoomReads.ids(context, "events_before")).containsExactly(ids[1]);
        assertThat(RoomReads.ids(context, "events_after")).containsExactly(ids[3]);
        assertThat((List<?>) context.get("state")).isNotEmpty();
        Map<String, Object> older = reads.ok(bob, RoomClient.room(roomId) + "/messages?dir=b&limit=1&from="
                + context.get("start"));
        assertThat(RoomReads.bodies(older, "chunk")).containsExactly("m0");
        Map<String, Object> newer = reads.ok(bob, RoomClient.room(roomId) + "/messages?dir=f&from="
                + context.get("end"));
        assertThat(RoomReads.bodies(newer, "chunk")).containsExactly("m4");
        assertThat(RoomReads.ids(reads.ok(bob, RoomClient.room(roomId) + "/context/" + ids[2] + "?limit=0"),
                "events_after")).isEmpty();

        expectError(reads.get(bob, RoomClient.room(roomId) + "/context/$unknown"), 404, "M_NOT_FOUND");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/context/" + ids[2] + "?limit=x"), 400,
                "M_INVALID_PARAM");
        expectError(reads.get(bob, RoomClient.room(roomId) + "/context/" + ids[2] + "?filter=nope"), 400,
                "M_NOT_JSON");
    }

    @Test
    void relationsShouldListChildrenByTypeWithPagingAndRecursion() {
        String parent = rooms.send(alice, roomId, "p", Map.of("body", "parent"));
        String like = send(bob, "m.reaction", "r1", relation("m.annotation", parent, Map.of("key", "+1")));
        String smile = send(alice, "m.reaction", "r2", relation("m.annotation", parent, Map.of("key", ":)")));
        String reply = send(bob, "m.room.message", "r3", relation("m.thread", parent, Map.of("body", "reply")));
        String nested = send(alice, "m.room.message", "r4", relation("m.reference", reply, Map.of("body", "ref")));
        String base = RoomReads.V1 + "/rooms/" + roomId + "/relations/" + parent;

        assertThat(RoomReads.ids(reads.ok(bob, base), "chunk")).containsExactly(reply, smile, like);
        assertThat(RoomReads.ids(reads.ok(bob, base + "/m.annotation"), "chunk")).containsExactly(smile, like);
        assertThat(RoomReads.ids(reads.ok(bob, base + "/m.annotation/m.reaction?dir=f"), "chunk"))
                .containsExactly(like, smile);
        assertThat(RoomReads.ids(reads.ok(bob, base + "/m.annotation/m.room.message"), "chunk")).isEmpty();

        Map<String, Object> first = reads.ok(bob, base + "?limit=2");
        assertThat(RoomReads.ids(first, "chunk")).containsExactly(reply, smile);
        assertThat(first).doesNotContainKeys("prev_batch", "recursion_depth");
        Map<String, Object> second = reads.ok(bob, base + "?limit=2&from=" + first.get("next_batch"));
        assertThat(RoomReads.ids(second, "chunk")).containsExactly(like);
        assertThat(second).containsEntry("prev_batch", first.get("next_batch")).doesNotContainKey("next_batch");

        Map<String, Object> recursive = reads.ok(bob, base + "?recurse=true");
        assertThat(RoomReads.ids(recursive, "chunk")).containsExactly(nested, reply, smile, like);
        assertThat(recursive).containsEntry("recursion_depth", 3);
        assertThat(reads.ok(bob, base + "?recurse=false")).containsEntry("recursion_depth", 1);

        expectError(reads.get(bob, RoomReads.V1 + "/rooms/" + roomId + "/relations/$unknown"), 404, "M_NOT_FOUND");
        expectError(reads.get(bob, base + "?dir=x"), 400, "M_INVALID_PARAM");
        expectError(reads.get(bob, base + "?limit=0"), 400, "M_INVALID_PARAM");
        expectError(reads.get(bob, base + "?from=bogus"), 400, "M_INVALID_PARAM");
        expectError(reads.get(bob, base + "?recurse=maybe"), 400, "M_INVALID_PARAM");
    }

    @Test
    @SuppressWarnings("unchecked")
    void threadsShouldListRootsByLatestActivityWithTheirAggregation() {
        String older = rooms.send(alice, roomId, "t1", Map.of("body", "older root"));
        String newer = rooms.send(bob, roomId, "t2", Map.of("body", "newer root"));
        send(alice, "m.room.message", "t3", relation("m.thread", newer, Map.of("body", "on newer")));
        send(alice, "m.room.message", "t4", relation("m.thread", older, Map.of("body", "on older")));
        String latest = send(alice, "m.room.message", "t5", relation("m.thread", older, Map.of("body", "again")));
        String threads = RoomReads.V1 + "/rooms/" + roomId + "/threads";

        Map<String, Object> all = reads.ok(bob, threads);
        assertThat(RoomReads.ids(all, "chunk")).containsExactly(older, newer);
        Map<String, Object> thread = (Map<String, Object>) ((Map<String, Object>) RoomReads.unsigned(
                ((List<Map<String, Object>>) all.get("chunk")).get(0)).get("m.relations")).get("m.thread");
        assertThat(thread).containsEntry("count", 2).containsEntry("current_user_participated", false);
        assertThat((Map<String, Object>) thread.get("latest_event")).containsEntry("event_id", latest)
                .doesNotContainKey("signatures");

        assertThat(RoomReads.ids(reads.ok(bob, threads + "?include=participated"), "chunk")).containsExactly(newer);
        Map<String, Object> page = reads.ok(bob, threads + "?limit=1");
        assertThat(RoomReads.ids(page, "chunk")).containsExactly(older);
        assertThat(RoomReads.ids(reads.ok(bob, threads + "?limit=1&from=" + page.get("next_batch")), "chunk"))
                .containsExactly(newer);
        expectError(reads.get(bob, threads + "?include=some"), 400, "M_INVALID_PARAM");
        expectError(reads.get(bob, threads + "?limit=0"), 400, "M_INVALID_PARAM");
    }

    @Test
    void timestampToEventShouldFindTheClosestVisibleEvent() {
        String eventId = rooms.send(alice, roomId, "ts1", Map.of("body", "now"));
        long ts = ((Number) reads.ok(bob, RoomClient.room(roomId) + "/event/" + eventId).get("origin_server_ts"))
                .longValue();
        String uri = RoomReads.V1 + "/rooms/" + roomId + "/timestamp_to_event";
        assertThat(reads.ok(bob, uri + "?dir=b&ts=" + (ts + 60_000))).containsEntry("event_id", eventId)
                .containsEntry("origin_server_ts", ts);
        assertThat(reads.ok(bob, uri + "?dir=f&ts=0")).containsKey("event_id").doesNotContainEntry("event_id", eventId);
        expectError(reads.get(bob, uri + "?dir=b&ts=0"), 404, "M_NOT_FOUND");
        expectError(reads.get(bob, uri + "?ts=0"), 400, "M_MISSING_PARAM");
        expectError(reads.get(bob, uri + "?dir=f"), 400, "M_MISSING_PARAM");
        expectError(reads.get(bob, uri + "?dir=f&ts=soon"), 400, "M_INVALID_PARAM");
    }

    @Test
    void reportsShouldNeedAJoinedReporterWhoCanSeeTheEvent() {
        String eventId = rooms.send(alice, roomId, "rp1", Map.of("body", "rude"));
        String report = RoomClient.V3 + "/rooms/{room}/report/{event}";
        assertThat(ok(rooms.request(HttpMethod.POST, report, bob, Map.of("reason", "rude", "score", -50), roomId,
                eventId))).isEmpty();
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        expectError(rooms.request(HttpMethod.POST, report, carol, Map.of("reason", "x"), roomId, eventId), 404,
                "M_NOT_FOUND");
        expectError(rooms.request(HttpMethod.POST, report, bob, Map.of(), roomId, "$unknown"), 404, "M_NOT_FOUND");
        expectError(rooms.request(HttpMethod.POST, report, bob, Map.of("score", -500), roomId, eventId), 400,
                "M_INVALID_PARAM");
        expectError(rooms.request(HttpMethod.POST, report, bob, Map.of("reason", 1), roomId, eventId), 400,
                "M_BAD_JSON");
    }

    private String send(Session session, String type, String txnId, Map<String, Object> content) {
        return (String) ok(rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/send/" + type + "/" + txnId,
                session, content)).get("event_id");
    }

    private static Map<String, Object> relation(String relType, String target, Map<String, Object> extra) {
        Map<String, Object> relatesTo = new java.util.HashMap<>(Map.of("rel_type", relType, "event_id", target));
        relatesTo.putAll(extra.containsKey("key") ? extra : Map.of());
        Map<String, Object> content = new java.util.HashMap<>(extra.containsKey("key") ? Map.of() : extra);
        content.put("m.relates_to", relatesTo);
        return content;
    }
}
