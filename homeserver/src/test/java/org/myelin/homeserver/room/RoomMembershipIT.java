package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/** Join, invite, leave, forget, kick, ban, unban, knock and the membership lists, through the real server. */
class RoomMembershipIT extends HomeserverIT {

    private RoomClient rooms;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void joiningAPublicRoomShouldListTheRoomAndTheMember() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        assertThat(ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/join", bob, Map.of())))
                .containsEntry("room_id", roomId);
        assertThat((List<String>) ok(get(RoomClient.V3 + "/joined_rooms", bob.accessToken())).get("joined_rooms"))
                .containsExactly(roomId);
        Map<String, Object> joined = (Map<String, Object>) ok(get(RoomClient.room(roomId) + "/joined_members",
                bob.accessToken())).get("joined");
        assertThat(joined).containsOnlyKeys(alice.userId(), bob.userId());
        assertThat((Map<String, Object>) joined.get(bob.userId())).containsEntry("display_name",
                bob.userId().substring(1, bob.userId().indexOf(':')));
    }

    @Test
    void invitesShouldGateJoiningAPrivateRoomAndNeedAMemberToSendThem() {
        String roomId = rooms.create(alice, Map.of());
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/join", bob, Map.of()), 403,
                "M_FORBIDDEN");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/invite", carol,
                Map.of("user_id", bob.userId())), 403, "M_FORBIDDEN");
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/invite", alice, Map.of()), 400,
                "M_MISSING_PARAM");
        rooms.invite(alice, roomId, bob.userId());
        rooms.join(bob, roomId);
        assertThat(rooms.memberships(alice, roomId, "")).containsEntry(bob.userId(), "join");
    }

    @Test
    void aBannedUserShouldNotRejoinUntilUnbanned() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/ban", alice,
                Map.of("user_id", bob.userId(), "reason", "spam")));
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/join", bob, Map.of()), 403,
                "M_FORBIDDEN");
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/ban", bob,
                Map.of("user_id", alice.userId())), 403, "M_FORBIDDEN");
        assertThat(rooms.memberships(alice, roomId, "?membership=ban")).containsOnlyKeys(bob.userId());
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/unban", alice, Map.of("user_id", bob.userId())));
        rooms.join(bob, roomId);
    }

    @Test
    void kickShouldLeaveTheTargetOutAndNeedPower() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/kick", bob,
                Map.of("user_id", alice.userId())), 403, "M_FORBIDDEN");
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/kick", alice, Map.of("user_id", bob.userId())));
        assertThat(rooms.memberships(alice, roomId, "?not_membership=join")).containsEntry(bob.userId(), "leave")
                .doesNotContainKey(alice.userId());
    }

    @Test
    void forgetShouldNeedTheUserToHaveLeft() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/forget", bob, Map.of()), 400,
                "M_UNKNOWN");
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/forget", bob, Map.of()));
        assertThat((List<?>) ok(get(RoomClient.V3 + "/joined_rooms", bob.accessToken())).get("joined_rooms"))
                .isEmpty();
        // Leaving again repeats the leave: a no-op sending nothing (as Synapse answers); the room stays forgotten.
        ok(rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", bob, Map.of()));
        Map<String, Object> sync = ok(http.get().uri(RoomClient.V3 + "/sync?filter={f}",
                "{\"room\":{\"include_leave\":true}}").header("Authorization", bob.bearer()).exchange());
        assertThat(sync.get("rooms").toString()).doesNotContain(roomId);
    }

    @Test
    void unknownRoomsAndAliasesShouldBe404OnJoinAnd403Elsewhere() {
        expectError(rooms.request(HttpMethod.POST, RoomClient.room("!nowhere:test.local") + "/join", bob, Map.of()),
                404, "M_NOT_FOUND");
        expectError(rooms.joinByIdOrAlias(bob, "#nowhere:test.local"), 404, "M_NOT_FOUND");
        expectError(rooms.joinByIdOrAlias(bob, "nonsense"), 400, "M_INVALID_PARAM");
        expectError(rooms.request(HttpMethod.POST, RoomClient.room("!nowhere:test.local") + "/invite", bob,
                Map.of("user_id", alice.userId())), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room("!nowhere:test.local") + "/members", bob.accessToken()), 403, "M_FORBIDDEN");
    }

    @Test
    void knockingShouldWorkOnlyWhereTheJoinRuleAllowsIt() {
        String knockable = rooms.create(alice, Map.of("initial_state", List.of(Map.of("type", "m.room.join_rules",
                "content", Map.of("join_rule", "knock")))));
        assertThat(ok(http.post().uri(RoomClient.V3 + "/knock/{room}", knockable).header("Authorization",
                bob.bearer()).bodyValue(Map.of("reason", "let me in")).exchange())).containsEntry("room_id", knockable);
        assertThat(rooms.memberships(alice, knockable, "?membership=knock")).containsOnlyKeys(bob.userId());
        String inviteOnly = rooms.create(alice, Map.of());
        expectError(http.post().uri(RoomClient.V3 + "/knock/{room}", inviteOnly).header("Authorization",
                bob.bearer()).bodyValue(Map.of()).exchange(), 403, "M_FORBIDDEN");
    }

    @Test
    void aRestrictedRoomShouldLetInMembersOfAnAllowedRoomVouchedForByAModerator() {
        String space = rooms.create(alice, Map.of("preset", "public_chat", "creation_content",
                Map.of("type", "m.space")));
        String restricted = rooms.create(alice, Map.of("room_version", "10", "initial_state", List.of(Map.of(
                "type", "m.room.join_rules", "content", Map.of("join_rule", "restricted", "allow", List.of(
                        Map.of("type", "m.room_membership", "room_id", space)))))));
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(restricted) + "/join", bob, Map.of()), 403,
                "M_FORBIDDEN");

        rooms.join(bob, space);
        rooms.join(bob, restricted);

        Map<String, Object> member = ok(get(RoomClient.room(restricted) + "/state/m.room.member/" + bob.userId(),
                bob.accessToken()));
        assertThat(member).containsEntry("membership", "join")
                .containsEntry("join_authorised_via_users_server", alice.userId());
    }

    @Test
    void aRestrictedRoomShouldSayWhenThisServerCannotTellOrCannotVouch() {
        String unknownSpace = rooms.create(alice, Map.of("room_version", "10", "initial_state", List.of(Map.of(
                "type", "m.room.join_rules", "content", Map.of("join_rule", "restricted", "allow", List.of(
                        Map.of("type", "m.room_membership", "room_id", "!elsewhere:remote.example")))))));
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(unknownSpace) + "/join", bob, Map.of()), 400,
                "M_UNABLE_TO_AUTHORISE_JOIN");

        String space = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, space);
        String noInviters = rooms.create(alice, Map.of("room_version", "10",
                "power_level_content_override", Map.of("invite", 200),
                "initial_state", List.of(Map.of("type", "m.room.join_rules", "content", Map.of("join_rule",
                        "restricted", "allow", List.of(Map.of("type", "m.room_membership", "room_id", space)))))));
        expectError(rooms.request(HttpMethod.POST, RoomClient.room(noInviters) + "/join", bob, Map.of()), 400,
                "M_UNABLE_TO_GRANT_JOIN");
    }

    @Test
    void nonMembersShouldNotListMembers() {
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        expectError(get(RoomClient.room(roomId) + "/members", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room(roomId) + "/joined_members", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(RoomClient.room(roomId) + "/members?membership=party", alice.accessToken()), 400,
                "M_INVALID_PARAM");
    }
}
