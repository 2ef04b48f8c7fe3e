package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Guest access (spec "Guest Access"): guest registration, the endpoints a guest may and may not use, joining only
 * rooms whose m.room.guest_access is can_join (and leaving when that changes), reading world_readable rooms, and
 * upgrading a guest to a full account that keeps its user ID.
 */
@TestPropertySource(properties = "myelin.guest-access=true")
class GuestAccessIT extends HomeserverIT {

    private static final String V3 = "/_matrix/client/v3";
    private static final String REGISTER = V3 + "/register";

    @Test
    void guestRegistrationShouldNeedNoAuthAndMakeAGuest() {
        Map<String, Object> body = ok(post(REGISTER + "?kind=guest",
                Map.of("initial_device_display_name", "guest phone"), null));
        assertThat(body).containsKeys("user_id", "access_token", "device_id").doesNotContainKey("refresh_token");
        String token = (String) body.get("access_token");
        assertThat(ok(get(V3 + "/account/whoami", token))).containsEntry("user_id", body.get("user_id"))
                .containsEntry("is_guest", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) ok(get(V3 + "/devices", token))
                .get("devices");
        assertThat(devices).singleElement().satisfies(d -> assertThat(d).containsEntry("display_name", "guest phone"));
    }

    @Test
    void guestsShouldBe403GuestAccessForbiddenOutsideTheirEndpoints() {
        String guest = guestToken();
        String userId = (String) ok(get(V3 + "/account/whoami", guest)).get("user_id");
        expectError(post(V3 + "/createRoom", Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(get(V3 + "/pushrules/", guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(get(V3 + "/account/3pid", guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(post(V3 + "/user/" + userId + "/openid/request_token", Map.of(), guest), 403,
                "M_GUEST_ACCESS_FORBIDDEN");
        expectError(post(V3 + "/account/password", Map.of("new_password", "pw"), guest), 403,
                "M_GUEST_ACCESS_FORBIDDEN");
        expectError(put(V3 + "/profile/" + userId + "/avatar_url", Map.of("avatar_url", "mxc://x/y"), guest), 403,
                "M_GUEST_ACCESS_FORBIDDEN");
        ok(put(V3 + "/profile/" + userId + "/displayname", Map.of("displayname", "Visitor"), guest));
        assertThat(ok(get(V3 + "/profile/" + userId + "/displayname", null)))
                .containsEntry("displayname", "Visitor");
        ok(get(V3 + "/sync?timeout=0", guest));
    }

    @Test
    void aGuestShouldJoinAndReadOnlyRoomsWithGuestAccessCanJoin() {
        Session owner = accounts.register(unique("owner"), "pw-owner-1");
        String open = createRoom(owner, "can_join", "shared");
        String closed = createRoom(owner, "forbidden", "shared");
        String guest = guestToken();

        ok(post(V3 + "/rooms/" + open + "/join", Map.of(), guest));
        ok(put(V3 + "/rooms/" + open + "/send/m.room.message/g1", Map.of("msgtype", "m.text", "body", "hi"), guest));
        assertThat(bodies(ok(get(V3 + "/rooms/" + open + "/messages?dir=b&limit=10", guest)))).contains("hi");
        expectError(post(V3 + "/rooms/" + closed + "/join", Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(post(V3 + "/join/" + closed, Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(post(V3 + "/rooms/!unknown:test.local/join", Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
        expectError(get(V3 + "/rooms/" + closed + "/messages?dir=b", guest), 403, "M_FORBIDDEN");
    }

    @Test
    void aGuestShouldReadAWorldReadableRoomWithoutJoiningIt() {
        Session owner = accounts.register(unique("owner"), "pw-owner-1");
        String room = createRoom(owner, "forbidden", "world_readable");
        put(V3 + "/rooms/" + room + "/send/m.room.message/w1", Map.of("msgtype", "m.text", "body", "public words"),
                owner.accessToken()).expectStatus().isOk();
        String guest = guestToken();
        assertThat(bodies(ok(get(V3 + "/rooms/" + room + "/messages?dir=b&limit=10", guest))))
                .contains("public words");
        expectError(post(V3 + "/rooms/" + room + "/join", Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
    }

    @Test
    void guestsShouldLeaveWhenTheRoomStopsAllowingThem() {
        Session owner = accounts.register(unique("owner"), "pw-owner-1");
        Session member = accounts.register(unique("member"), "pw-member-1");
        String room = createRoom(owner, "can_join", "shared");
        String guest = guestToken();
        String guestId = (String) ok(get(V3 + "/account/whoami", guest)).get("user_id");
        ok(post(V3 + "/rooms/" + room + "/join", Map.of(), guest));
        ok(post(V3 + "/rooms/" + room + "/join", Map.of(), member.accessToken()));

        ok(put(V3 + "/rooms/" + room + "/state/m.room.guest_access", Map.of("guest_access", "forbidden"),
                owner.accessToken()));
        assertThat(ok(get(V3 + "/rooms/" + room + "/state/m.room.member/" + guestId, owner.accessToken())))
                .containsEntry("membership", "leave");
        assertThat(ok(get(V3 + "/rooms/" + room + "/state/m.room.member/" + member.userId(), owner.accessToken())))
                .containsEntry("membership", "join");
        expectError(post(V3 + "/rooms/" + room + "/join", Map.of(), guest), 403, "M_GUEST_ACCESS_FORBIDDEN");
    }

    @Test
    void aGuestShouldBecomeAFullAccountKeepingItsUserId() {
        Map<String, Object> guest = ok(post(REGISTER + "?kind=guest", Map.of(), null));
        String guestId = (String) guest.get("user_id");
        String localpart = guestId.substring(1, guestId.indexOf(':'));
        Map<String, Object> first = Map.of("username", localpart, "password", "pw-upgraded-1",
                "guest_access_token", guest.get("access_token"));
        Map<String, Object> challenge = expectUia(post(REGISTER, first, null));
        Map<String, Object> upgraded = ok(post(REGISTER, Map.of("username", localpart, "password", "pw-upgraded-1",
                "guest_access_token", guest.get("access_token"),
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))), null));
        assertThat(upgraded).containsEntry("user_id", guestId);
        assertThat(ok(get(V3 + "/account/whoami", (String) upgraded.get("access_token"))))
                .containsEntry("is_guest", false);
        accounts.login(localpart, "pw-upgraded-1", false);
        ok(post(V3 + "/createRoom", Map.of(), (String) upgraded.get("access_token")));
        // The guest's own token now belongs to a full account, so it cannot upgrade anything again.
        expectError(post(REGISTER, first, null), 403, "M_FORBIDDEN");
    }

    @Test
    void anUpgradeShouldBe403ForbiddenWithoutTheGuestsToken() {
        Map<String, Object> guest = ok(post(REGISTER + "?kind=guest", Map.of(), null));
        String guestId = (String) guest.get("user_id");
        String localpart = guestId.substring(1, guestId.indexOf(':'));
        Session full = accounts.register(unique("full"), "pw-full-1");
        expectError(post(REGISTER, Map.of("username", localpart, "password", "pw", "guest_access_token",
                "no-such-token"), null), 403, "M_FORBIDDEN");
        expectError(post(REGISTER, Map.of("username", localpart, "password", "pw", "guest_access_token",
                full.accessToken()), null), 403, "M_FORBIDDEN");
        expectError(post(REGISTER, Map.of("username", unique("someoneelse"), "password", "pw",
                "guest_access_token", guest.get("access_token")), null), 403, "M_FORBIDDEN");
        expectError(post(REGISTER, Map.of("username", localpart, "password", "pw"), null), 400, "M_USER_IN_USE");
        assertThat(ok(get(V3 + "/account/whoami", (String) guest.get("access_token"))))
                .containsEntry("is_guest", true);
    }

    private String guestToken() {
        return (String) ok(post(REGISTER + "?kind=guest", Map.of(), null)).get("access_token");
    }

    private String createRoom(Session owner, String guestAccess, String historyVisibility) {
        return (String) ok(post(V3 + "/createRoom", Map.of("preset", "public_chat", "initial_state", List.of(
                Map.of("type", "m.room.guest_access", "state_key", "", "content",
                        Map.of("guest_access", guestAccess)),
                Map.of("type", "m.room.history_visibility", "state_key", "", "content",
                        Map.of("history_visibility", historyVisibility)))), owner.accessToken())).get("room_id");
    }

    private WebTestClient.ResponseSpec put(String uri, Object body, String accessToken) {
        return http.put().uri(uri).header("Authorization", "Bearer " + accessToken)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> bodies(Map<String, Object> messages) {
        return ((List<Map<String, Object>>) messages.get("chunk")).stream()
                .map(e -> ((Map<String, Object>) e.get("content")).get("body")).toList();
    }
}
