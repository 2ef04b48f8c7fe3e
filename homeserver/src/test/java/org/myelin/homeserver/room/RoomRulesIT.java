package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/**
 * Room behaviours as Synapse has them, through the real server: repeated state and joins are no-ops answering the
 * existing event, /join keeps its custom content, kicks and unbans need the target to be in the room or banned,
 * /members reads at a /sync token, and room, user and event reports.
 */
class RoomRulesIT extends HomeserverIT {

    private RoomClient rooms;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    private String putState(Session session, String roomId, String path, Map<String, Object> content) {
        return (String) ok(rooms.request(PUT, RoomClient.room(roomId) + "/state/" + path, session, content))
                .get("event_id");
    }

    @Test
    void settingTheSameStateAgainAnswersTheEventThatHoldsIt() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        String first = putState(alice, roomId, "m.room.topic/", Map.of("topic", "cheese"));
        assertThat(putState(alice, roomId, "m.room.topic/", Map.of("topic", "cheese"))).isEqualTo(first);
        assertThat(putState(alice, roomId, "m.room.topic", Map.of("topic", "cheese"))).isEqualTo(first);
        String second = putState(alice, roomId, "m.room.topic/", Map.of("topic", "wine"));
        assertThat(second).isNotEqualTo(first);
        assertThat(putState(alice, roomId, "m.room.topic/", Map.of("topic", "cheese"))).isNotIn(first, second);

        rooms.join(bob, roomId);
        ok(rooms.request(PUT, RoomClient.room(roomId) + "/state/m.room.power_levels/", alice, Map.of("users",
                Map.of(bob.userId(), 100), "state_default", 50)));
        String alices = putState(alice, roomId, "com.example.flag/x", Map.of("on", true));
        assertThat(putState(bob, roomId, "com.example.flag/x", Map.of("on", true))).isNotEqualTo(alices);
    }

    @Test
    @SuppressWarnings("unchecked")
    void joiningARoomOneIsInIsANoOpAndCustomJoinContentIsKept() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        String join = memberEventId(roomId, bob);
        rooms.join(bob, roomId);
        ok(rooms.joinByIdOrAlias(bob, roomId));
        assertThat(memberEventId(roomId, bob)).isEqualTo(join);

        ok(http.post().uri(RoomClient.V3 + "/join/{room}", roomId).header("Authorization", bob.bearer())
                .bodyValue(Map.of("reason", "back again", "io.example.flair", "gold", "displayname", "Bobby"))
                .exchange());
        Map<String, Object> member = ok(get(RoomClient.room(roomId) + "/state/m.room.member/" + bob.userId(),
                alice.accessToken()));
        assertThat(member).containsEntry("membership", "join").containsEntry("reason", "back again")
                .containsEntry("io.example.flair", "gold").containsEntry("displayname", "Bobby");
        assertThat(memberEventId(roomId, bob)).isNotEqualTo(join);

        expectError(http.post().uri(RoomClient.V3 + "/join/{room}", roomId).header("Authorization", bob.bearer())
                .bodyValue(Map.of("displayname", 7)).exchange(), 400, "M_BAD_JSON");
        expectError(http.post().uri(RoomClient.V3 + "/join/{room}", roomId).header("Authorization", bob.bearer())
                .bodyValue(Map.of("reason", "x".repeat(1001))).exchange(), 400, "M_TOO_LARGE");
    }

    @SuppressWarnings("unchecked")
    private String memberEventId(String roomId, Session member) {
        Map<String, Object> event = ok(get(RoomClient.room(roomId) + "/state/m.room.member/" + member.userId()
                + "?format=event", alice.accessToken()));
        return (String) event.get("event_id");
    }

    @Test
    void kickingSomeoneNotInTheRoomAndUnbanningSomeoneNotBannedAreRefused() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        String kick = RoomClient.room(roomId) + "/kick";
        String unban = RoomClient.room(roomId) + "/unban";
        expectError(rooms.request(POST, kick, alice, Map.of("user_id", bob.userId())), 403, "M_FORBIDDEN");
        rooms.join(bob, roomId);
        expectError(rooms.request(POST, unban, alice, Map.of("user_id", bob.userId())), 403, "M_BAD_STATE");
        ok(rooms.request(POST, RoomClient.room(roomId) + "/ban", alice, Map.of("user_id", bob.userId())));
        expectError(rooms.request(POST, kick, alice, Map.of("user_id", bob.userId())), 403, "M_FORBIDDEN");
        ok(rooms.request(POST, unban, alice, Map.of("user_id", bob.userId())));
        expectError(rooms.request(POST, kick, alice, Map.of("user_id", bob.userId())), 403, "M_FORBIDDEN");
        rooms.join(bob, roomId);
        ok(rooms.request(POST, kick, alice, Map.of("user_id", bob.userId(), "reason", "bye")));
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        rooms.invite(alice, roomId, carol.userId());
        ok(rooms.request(POST, kick, alice, Map.of("user_id", carol.userId())));
    }

    @Test
    @SuppressWarnings("unchecked")
    void membersAreListedAtASyncToken() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        String token = (String) ok(get(RoomClient.V3 + "/sync", alice.accessToken())).get("next_batch");
        ok(rooms.request(POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        rooms.join(carol, roomId);

        assertThat(rooms.memberships(alice, roomId, "?at=" + token))
                .containsOnly(Map.entry(alice.userId(), "join"), Map.entry(bob.userId(), "join"));
        assertThat(rooms.memberships(alice, roomId, "")).containsOnly(Map.entry(alice.userId(), "join"),
                Map.entry(bob.userId(), "leave"), Map.entry(carol.userId(), "join"));
        assertThat(rooms.memberships(alice, roomId, "?membership=leave")).containsOnlyKeys(bob.userId());
        assertThat(rooms.memberships(alice, roomId, "?not_membership=join")).containsOnlyKeys(bob.userId());
        assertThat(rooms.memberships(alice, roomId, "?at=" + token + "&not_membership=join")).isEmpty();
        String first = (String) ((List<Map<String, Object>>) ok(get(RoomClient.room(roomId)
                + "/messages?dir=f&limit=1", alice.accessToken())).get("chunk")).get(0).get("event_id");
        assertThat(first).isNotNull();
        String messagesToken = (String) ok(get(RoomClient.room(roomId) + "/messages?dir=b&limit=1",
                alice.accessToken())).get("end");
        assertThat(rooms.memberships(alice, roomId, "?at=" + messagesToken)).containsKey(alice.userId());
        expectError(get(RoomClient.room(roomId) + "/members?at=s-nonsense", alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(get(RoomClient.room(roomId) + "/members?at=bogus", alice.accessToken()), 400, "M_INVALID_PARAM");
    }

    @Test
    void roomsAndUsersCanBeReportedWithAReason() {
        String roomId = rooms.create(alice, Map.of());
        String report = RoomClient.room(roomId) + "/report";
        assertThat(ok(rooms.request(POST, report, bob, Map.of("reason", "spam room")))).isEmpty();
        assertThat(ok(rooms.request(POST, report, bob, Map.of("reason", "")))).isEmpty();
        expectError(rooms.request(POST, report, bob, Map.of()), 400, "M_MISSING_PARAM");
        expectError(rooms.request(POST, report, bob, Map.of("reason", 3)), 400, "M_BAD_JSON");
        expectError(rooms.request(POST, report, bob, Map.of("reason", "x".repeat(1001))), 400, "M_TOO_LARGE");
        expectError(rooms.request(POST, RoomClient.room("!unknown:test.local") + "/report", bob,
                Map.of("reason", "?")), 404, "M_NOT_FOUND");
        expectError(rooms.request(POST, RoomClient.room("nope") + "/report", bob, Map.of("reason", "?")), 400,
                "M_INVALID_PARAM");
        expectError(rooms.request(POST, report, null, Map.of("reason", "?")), 401, "M_MISSING_TOKEN");

        String users = RoomClient.V3 + "/users/{user}/report";
        assertThat(ok(rooms.request(POST, users, bob, Map.of("reason", "rude"), alice.userId()))).isEmpty();
        assertThat(ok(rooms.request(POST, users, bob, Map.of("reason", "rude"), "@nobody:test.local"))).isEmpty();
        assertThat(ok(rooms.request(POST, users, bob, Map.of("reason", "rude"), "@someone:elsewhere.org")))
                .isEmpty();
        expectError(rooms.request(POST, users, bob, Map.of(), alice.userId()), 400, "M_MISSING_PARAM");
        expectError(rooms.request(POST, users, bob, Map.of("reason", "rude"), "not-a-user"), 400,
                "M_INVALID_PARAM");
        expectError(rooms.raw(POST, RoomClient.V3 + "/users/" + alice.userId() + "/report", bob, "{"), 400,
                "M_NOT_JSON");

        String eventId = rooms.send(alice, roomId, "r1", Map.of("body", "hi"));
        expectError(rooms.request(POST, report + "/" + eventId, bob, Map.of("reason", "x")), 404, "M_NOT_FOUND");
        assertThat(ok(rooms.request(POST, report + "/" + eventId, alice, Map.of("reason", "x")))).isEmpty();
    }
}
