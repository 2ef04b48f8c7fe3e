package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Sending events and state, and reading them back (state, event, /messages), through the real server. */
class RoomEventsIT extends HomeserverIT {

    private RoomClient rooms;
    private Session alice;
    private Session bob;
    private String roomId;

    @BeforeEach
    void room() {
        rooms = new RoomClient(http);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
        roomId = rooms.create(alice, Map.of("preset", "public_chat"));
    }

    @Test
    void aRepeatedTxnIdShouldReturnTheSameEventAndOnlyTheSenderSeesIt() {
        rooms.join(bob, roomId);
        String first = rooms.send(alice, roomId, "t1", Map.of("msgtype", "m.text", "body", "hi"));
        String again = rooms.send(alice, roomId, "t1", Map.of("msgtype", "m.text", "body", "hi"));
        assertThat(again).isEqualTo(first);
        assertThat(rooms.send(alice, roomId, "t2", Map.of("body", "other"))).isNotEqualTo(first);

        Map<String, Object> own = ok(get(RoomClient.room(roomId) + "/event/" + first, alice.accessToken()));
        assertThat(own).containsEntry("event_id", first).containsEntry("room_id", roomId)
                .containsEntry("sender", alice.userId()).containsEntry("type", "m.room.message")
                .doesNotContainKeys("hashes", "signatures", "auth_events", "prev_events", "depth");
        assertThat(unsigned(own)).containsEntry("transaction_id", "t1").containsKey("age");
        assertThat(unsigned(ok(get(RoomClient.room(roomId) + "/event/" + first, bob.accessToken()))))
                .doesNotContainKey("transaction_id");
        expectError(get(RoomClient.room(roomId) + "/event/$nothing", alice.accessToken()), 404, "M_NOT_FOUND");
    }

    @Test
    void sendingShouldNeedMembershipAndPower() {
        expectError(put(RoomClient.room(roomId) + "/send/m.room.message/t", bob, Map.of("body", "x")), 403,
                "M_FORBIDDEN");
        expectError(put(RoomClient.room("!unknown:test.local") + "/send/m.room.message/t", bob, Map.of()), 403,
                "M_FORBIDDEN");
        rooms.join(bob, roomId);
        expectError(put(RoomClient.room(roomId) + "/state/m.room.name", bob, Map.of("name", "mine")), 403,
                "M_FORBIDDEN");
    }

    @Test
    void badBodiesAndOversizedEventsShouldBeRejected() {
        String uri = RoomClient.room(roomId) + "/send/m.room.message/";
        expectError(rooms.raw(HttpMethod.PUT, uri + "a", alice, "{oops"), 400, "M_NOT_JSON");
        expectError(rooms.raw(HttpMethod.PUT, uri + "b", alice, "[]"), 400, "M_BAD_JSON");
        expectError(rooms.raw(HttpMethod.PUT, uri + "c", alice, "{\"n\": 1.5}"), 400, "M_BAD_JSON");
        expectError(put(uri + "d", alice, Map.of("body", "x".repeat(70_000))), 413, "M_TOO_LARGE");
        assertThat(rooms.send(alice, roomId, "e", Map.of("body", "x".repeat(60_000)))).startsWith("$");
    }

    @Test
    void stateShouldBeWritableAndReadableByKey() {
        String path = RoomClient.room(roomId) + "/state/org.example.config/{key}";
        String eventId = (String) ok(rooms.request(HttpMethod.PUT, path, alice, Map.of("value", 1), "slot 1/a"))
                .get("event_id");
        assertThat(ok(rooms.request(HttpMethod.GET, path, alice, null, "slot 1/a"))).isEqualTo(Map.of("value", 1));
        Map<String, Object> event = ok(rooms.request(HttpMethod.GET, path + "?format=event", alice, null,
                "slot 1/a"));
        assertThat(event).containsEntry("event_id", eventId).containsEntry("state_key", "slot 1/a");
        ok(put(RoomClient.room(roomId) + "/state/m.room.topic", alice, Map.of("topic", "t")));
        assertThat(ok(get(RoomClient.room(roomId) + "/state/m.room.topic/", alice.accessToken())))
                .containsEntry("topic", "t");
        expectError(get(RoomClient.room(roomId) + "/state/m.room.avatar", alice.accessToken()), 404, "M_NOT_FOUND");
    }

    @Test
    void nonMembersShouldNotReadTheRoom() {
        String eventId = rooms.send(alice, roomId, "r", Map.of("body", "secret"));
        expectError(get(RoomClient.room(roomId) + "/state", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room(roomId) + "/state/m.room.create", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room(roomId) + "/messages?dir=b", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room(roomId) + "/event/" + eventId, bob.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(RoomClient.room(roomId) + "/members", bob.accessToken()), 403, "M_FORBIDDEN");
    }

    @Test
    void aFormerMemberShouldReadOnlyUpToTheirLeave() {
        rooms.join(bob, roomId);
        String before = rooms.send(alice, roomId, "m1", Map.of("body", "before"));
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        String after = rooms.send(alice, roomId, "m2", Map.of("body", "after"));
        ok(put(RoomClient.room(roomId) + "/state/m.room.topic", alice, Map.of("topic", "new")));
        ok(get(RoomClient.room(roomId) + "/event/" + before, bob.accessToken()));
        expectError(get(RoomClient.room(roomId) + "/event/" + after, bob.accessToken()), 404, "M_NOT_FOUND");
        assertThat(ids(messages(bob, "dir=b&limit=50"))).contains(before).doesNotContain(after);
        expectError(get(RoomClient.room(roomId) + "/state/m.room.topic", bob.accessToken()), 404, "M_NOT_FOUND");
    }

    @Test
    @SuppressWarnings("unchecked")
    void messagesShouldPageBothWaysWithTokensAndFilters() {
        rooms.join(bob, roomId);
        for (int i = 1; i <= 5; i++) {
            rooms.send(i == 5 ? bob : alice, roomId, "p" + i, Map.of("body", "m" + i));
        }
        Map<String, Object> page1 = messages(alice, "dir=b&limit=2");
        assertThat(bodies(page1)).containsExactly("m5", "m4");
        Map<String, Object> page2 = messages(alice, "dir=b&limit=2&from=" + page1.get("end"));
        assertThat(bodies(page2)).containsExactly("m3", "m2");
        Map<String, Object> forward = messages(alice, "dir=f&limit=10&from=" + page2.get("end"));
        assertThat(bodies(forward)).containsExactly("m3", "m4", "m5");
        Map<String, Object> all = messages(alice, "dir=f&limit=100");
        assertThat(((List<?>) all.get("chunk")).size()).isGreaterThan(5);
        assertThat(all).doesNotContainKey("end");

        Map<String, Object> filtered = http.get().uri(b -> b.path(RoomClient.room(roomId) + "/messages")
                .queryParam("dir", "b").queryParam("filter", "{filter}")
                .build("{\"types\":[\"m.room.mess*\"],\"senders\":[\"" + bob.userId() + "\"],"
                        + "\"lazy_load_members\":true}"))
                .header("Authorization", alice.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(bodies(filtered)).containsExactly("m5");
        assertThat((List<Map<String, Object>>) filtered.get("state")).extracting(e -> e.get("state_key"))
                .containsExactly(bob.userId());

        expectError(get(RoomClient.room(roomId) + "/messages", alice.accessToken()), 400, "M_MISSING_PARAM");
        expectError(get(RoomClient.room(roomId) + "/messages?dir=x", alice.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(RoomClient.room(roomId) + "/messages?dir=b&from=bogus", alice.accessToken()), 400,
                "M_INVALID_PARAM");
    }

    private WebTestClient.ResponseSpec put(String uri, Session session, Object body) {
        return rooms.request(HttpMethod.PUT, uri, session, body);
    }

    private Map<String, Object> messages(Session session, String query) {
        return ok(get(RoomClient.room(roomId) + "/messages?" + query, session.accessToken()));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> bodies(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("chunk")).stream()
                .filter(e -> "m.room.message".equals(e.get("type")))
                .map(e -> ((Map<String, Object>) e.get("content")).get("body")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> ids(Map<String, Object> page) {
        return ((List<Map<String, Object>>) page.get("chunk")).stream().map(e -> e.get("event_id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> unsigned(Map<String, Object> event) {
        return (Map<String, Object>) event.get("unsigned");
    }
}
