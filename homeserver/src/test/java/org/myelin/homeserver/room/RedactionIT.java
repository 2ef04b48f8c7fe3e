package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/** PUT /redact: idempotency, power checks per room version, and redacted events on every read. */
class RedactionIT extends HomeserverIT {

    private RoomClient rooms;
    private RoomReads reads;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        reads = new RoomReads(rooms);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void aRedactedEventShouldBeReturnedRedactedWithTheRedactionThatRedactedIt() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        String eventId = rooms.send(alice, roomId, "r1", Map.of("msgtype", "m.text", "body", "oops"));
        String redactionId = redactId(alice, roomId, eventId, "t1", Map.of("reason", "typo"));
        assertThat(redactId(alice, roomId, eventId, "t1", Map.of("reason", "typo"))).isEqualTo(redactionId);

        Map<String, Object> event = reads.ok(alice, RoomClient.room(roomId) + "/event/" + eventId);
        assertThat(event).containsEntry("content", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> because = (Map<String, Object>) RoomReads.unsigned(event).get("redacted_because");
        assertThat(because).containsEntry("event_id", redactionId).containsEntry("redacts", eventId)
                .containsEntry("type", "m.room.redaction").doesNotContainKeys("signatures", "hashes");

        Map<String, Object> page = reads.ok(alice, RoomClient.room(roomId) + "/messages?dir=b&limit=2");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> chunk = (List<Map<String, Object>>) page.get("chunk");
        assertThat(chunk.get(0)).containsEntry("event_id", redactionId).containsEntry("redacts", eventId);
        assertThat(content(chunk.get(0))).containsEntry("redacts", eventId)
                .containsEntry("reason", "typo");
        assertThat(chunk.get(1)).containsEntry("event_id", eventId).containsEntry("content", Map.of());
        assertThat(reads.ok(alice, RoomClient.room(roomId) + "/context/" + eventId).get("event"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("content", Map.of());
    }

    @Test
    void redactingAnotherUsersEventShouldNeedTheRedactLevelFromVersion3() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat", "room_version", "10"));
        rooms.join(bob, roomId);
        String alices = rooms.send(alice, roomId, "a1", Map.of("body", "alice's"));
        String bobs = rooms.send(bob, roomId, "b1", Map.of("body", "bob's"));
        expectError(redact(bob, roomId, alices, "x1", Map.of()), 403, "M_FORBIDDEN");
        assertThat(redactId(bob, roomId, bobs, "x2", Map.of())).startsWith("$");
        assertThat(redactId(alice, roomId, bobs, "x3", Map.of())).startsWith("$");
        Map<String, Object> redaction = reads.ok(alice, RoomClient.room(roomId) + "/event/"
                + redactId(alice, roomId, alices, "x4", Map.of()));
        assertThat(redaction).containsEntry("redacts", alices);
        assertThat(content(redaction)).doesNotContainKey("redacts");
    }

    @Test
    void inVersions1And2TheAuthRulesShouldLetAnyLocalMemberRedact() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat", "room_version", "1"));
        rooms.join(bob, roomId);
        String alices = rooms.send(alice, roomId, "v1", Map.of("body", "alice's"));
        assertThat(redactId(bob, roomId, alices, "y1", Map.of())).startsWith("$");
        assertThat(reads.ok(bob, RoomClient.room(roomId) + "/event/" + alices)).containsEntry("content", Map.of());
    }

    @Test
    void redactionsShouldFailForNonMembersOtherRoomsAndBadBodies() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        String other = rooms.create(alice, Map.of("preset", "public_chat"));
        String eventId = rooms.send(alice, roomId, "z1", Map.of("body", "x"));
        expectError(redact(bob, roomId, eventId, "z1", Map.of()), 403, "M_FORBIDDEN");
        expectError(redact(alice, other, eventId, "z2", Map.of()), 400, "M_INVALID_PARAM");
        expectError(redact(alice, roomId, eventId, "z3", Map.of("reason", 5)), 400, "M_BAD_JSON");
        expectError(redact(alice, roomId, "not-an-id", "z4", Map.of()), 404, "M_NOT_FOUND");
        expectError(redact(null, roomId, eventId, "z5", Map.of()), 401, "M_MISSING_TOKEN");
    }

    @Test
    void stateEventsShouldCarryWhatTheyReplaced() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat", "topic", "first"));
        String firstTopic = (String) reads.ok(alice, RoomClient.room(roomId) + "/state/m.room.topic?format=event")
                .get("event_id");
        ok(rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/state/m.room.topic", alice,
                Map.of("topic", "second")));
        Map<String, Object> topic = reads.ok(alice, RoomClient.room(roomId) + "/state/m.room.topic?format=event");
        assertThat(RoomReads.unsigned(topic)).containsEntry("replaces_state", firstTopic)
                .containsEntry("prev_sender", alice.userId());
        assertThat(content(RoomReads.unsigned(topic), "prev_content")).containsEntry("topic", "first");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> content(Map<String, Object> event) {
        return content(event, "content");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> content(Map<String, Object> event, String field) {
        return (Map<String, Object>) event.get(field);
    }

    private WebTestClient.ResponseSpec redact(Session session, String roomId, String eventId, String txnId,
            Map<String, Object> body) {
        return rooms.request(HttpMethod.PUT, RoomClient.V3 + "/rooms/{room}/redact/{event}/{txn}", session, body,
                roomId, eventId, txnId);
    }

    private String redactId(Session session, String roomId, String eventId, String txnId, Map<String, Object> body) {
        return (String) MatrixErrors.body(redact(session, roomId, eventId, txnId, body).expectStatus().isOk())
                .get("event_id");
    }
}
