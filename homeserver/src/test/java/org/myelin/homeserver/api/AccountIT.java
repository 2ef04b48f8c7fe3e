package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/** whoami, password change and deactivation (both behind m.login.password UIA), and device management. */
class AccountIT extends HomeserverIT {

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String PASSWORD = "/_matrix/client/v3/account/password";
    private static final String DEACTIVATE = "/_matrix/client/v3/account/deactivate";
    private static final String DEVICES = "/_matrix/client/v3/devices";
    private static final String LOGIN = "/_matrix/client/v3/login";

    @Test
    void whoamiShouldNameTheUserAndDevice() {
        Session s = accounts.register(unique("who"), "pw-who-1");
        assertThat(ok(get(WHOAMI, s.accessToken()))).isEqualTo(Map.of("user_id", s.userId(),
                "device_id", s.deviceId(), "is_guest", false));
        expectError(get(WHOAMI, null), 401, "M_MISSING_TOKEN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void passwordChangeShouldAskForThePasswordWhenNoAuthIsGiven() {
        Session s = accounts.register(unique("pwflows"), "pw-flows-1");
        Map<String, Object> challenge = expectUia(post(PASSWORD, Map.of("new_password", "pw-new"),
                s.accessToken()));
        assertThat((List<Map<String, Object>>) challenge.get("flows"))
                .anySatisfy(f -> assertThat((List<Object>) f.get("stages")).containsExactly("m.login.password"));
        assertThat(challenge).doesNotContainKey("errcode");
    }

    @Test
    void passwordChangeShouldBe401ForbiddenWhenTheCurrentPasswordIsWrong() {
        String name = unique("pwwrong");
        Session s = accounts.register(name, "pw-wrong-1");
        Map<String, Object> challenge = expectUia(post(PASSWORD, Map.of("new_password", "pw-new"),
                s.accessToken()));
        Map<String, Object> failed = expectUia(post(PASSWORD, Map.of("new_password", "pw-new",
                "auth", passwordAuth(s, "not-my-password", challenge.get("session"))), s.accessToken()));
        assertThat(failed).containsEntry("errcode", "M_FORBIDDEN")
                .containsEntry("session", challenge.get("session"));
        accounts.login(name, "pw-wrong-1", false);
    }

    @Test
    void passwordChangeShouldLogOutOtherDevicesButKeepThisOne() {
        String name = unique("pwchange");
        Session current = accounts.register(name, "pw-old-1");
        Session other = accounts.login(name, "pw-old-1", false);
        changePassword(current, "pw-old-1", "pw-new-1", null);

        ok(get(WHOAMI, current.accessToken()));
        expectError(get(WHOAMI, other.accessToken()), 401, "M_UNKNOWN_TOKEN");
        assertThat(deviceIds(current)).containsExactly(current.deviceId());
        accounts.login(name, "pw-new-1", false);
        expectError(post(LOGIN, passwordLogin(name, "pw-old-1"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void passwordChangeShouldKeepOtherDevicesWhenLogoutDevicesIsFalse() {
        String name = unique("pwkeep");
        Session current = accounts.register(name, "pw-keep-1");
        Session other = accounts.login(name, "pw-keep-1", false);
        changePassword(current, "pw-keep-1", "pw-keep-2", false);
        ok(get(WHOAMI, other.accessToken()));
        assertThat(deviceIds(current)).contains(current.deviceId(), other.deviceId());
        accounts.login(name, "pw-keep-2", false);
    }

    @Test
    void passwordChangeShouldBe400WhenTheNewPasswordIsMissingOrNotAString() {
        Session s = accounts.register(unique("pwbad"), "pw-bad-1");
        expectError(post(PASSWORD, Map.of(), s.accessToken()), 400, "M_MISSING_PARAM");
        expectError(post(PASSWORD, Map.of("new_password", 7), s.accessToken()), 400, "M_BAD_JSON");
        expectError(post(PASSWORD, Map.of("new_password", "x"), null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void uiaSessionShouldNotBeUsableByAnotherUser() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Map<String, Object> challenge = expectUia(post(PASSWORD, Map.of("new_password", "x"), alice.accessToken()));
        expectError(post(PASSWORD, Map.of("new_password", "x",
                "auth", passwordAuth(bob, "pw-bob-1", challenge.get("session"))), bob.accessToken()), 403,
                "M_FORBIDDEN");
    }

    @Test
    void deactivationShouldEndEverySessionAndKeepTheNameTaken() {
        String name = unique("gone");
        Session s = accounts.register(name, "pw-gone-1");
        Session other = accounts.login(name, "pw-gone-1", true);
        Map<String, Object> challenge = expectUia(post(DEACTIVATE, Map.of(), s.accessToken()));
        Map<String, Object> body = ok(post(DEACTIVATE, Map.of("auth", passwordAuth(s, "pw-gone-1",
                challenge.get("session"))), s.accessToken()));
        assertThat(body).containsEntry("id_server_unbind_result", "no-support");

        expectError(get(WHOAMI, s.accessToken()), 401, "M_UNKNOWN_TOKEN");
        expectError(get(WHOAMI, other.accessToken()), 401, "M_UNKNOWN_TOKEN");
        expectError(post("/_matrix/client/v3/refresh", Map.of("refresh_token", other.refreshToken()), null), 401,
                "M_UNKNOWN_TOKEN");
        expectError(post(LOGIN, passwordLogin(name, "pw-gone-1"), null), 403, "M_USER_DEACTIVATED");
        expectError(get("/_matrix/client/v3/profile/" + s.userId(), null), 404, "M_NOT_FOUND");
        expectError(post("/_matrix/client/v3/register", Map.of("username", name, "password", "pw"), null), 400,
                "M_USER_IN_USE");
        expectError(get("/_matrix/client/v3/register/available?username=" + name, null), 400, "M_USER_IN_USE");
    }

    @Test
    void deactivationShouldBe401ForbiddenWhenThePasswordIsWrong() {
        String name = unique("stay");
        Session s = accounts.register(name, "pw-stay-1");
        Map<String, Object> challenge = expectUia(post(DEACTIVATE, Map.of(), s.accessToken()));
        assertThat(expectUia(post(DEACTIVATE, Map.of("auth", passwordAuth(s, "wrong", challenge.get("session"))),
                s.accessToken()))).containsEntry("errcode", "M_FORBIDDEN");
        ok(get(WHOAMI, s.accessToken()));
    }

    @Test
    void devicesShouldListGetAndRenameTheUsersDevices() {
        String name = unique("devices");
        Session a = accounts.register(name, "pw-devices-1");
        Session b = accounts.login(name, "pw-devices-1", false);
        assertThat(deviceIds(a)).containsExactlyInAnyOrder(a.deviceId(), b.deviceId());

        Map<String, Object> device = ok(get(DEVICES + "/" + b.deviceId(), a.accessToken()));
        assertThat(device).containsEntry("device_id", b.deviceId()).containsKeys("last_seen_ts", "last_seen_ip");

        ok(http.put().uri(DEVICES + "/" + b.deviceId()).header("Authorization", a.bearer())
                .bodyValue(Map.of("display_name", "Work laptop")).exchange());
        assertThat(ok(get(DEVICES + "/" + b.deviceId(), a.accessToken())))
                .containsEntry("display_name", "Work laptop");
    }

    @Test
    void devicesShouldBe404NotFoundWhenUnknown() {
        Session s = accounts.register(unique("nodevice"), "pw-nodev-1");
        expectError(get(DEVICES + "/NOSUCHDEVICE", s.accessToken()), 404, "M_NOT_FOUND");
        expectError(http.put().uri(DEVICES + "/NOSUCHDEVICE").header("Authorization", s.bearer())
                .bodyValue(Map.of("display_name", "x")).exchange(), 404, "M_NOT_FOUND");
        expectError(http.put().uri(DEVICES + "/" + s.deviceId()).header("Authorization", s.bearer())
                .bodyValue(Map.of("display_name", 3)).exchange(), 400, "M_BAD_JSON");
    }

    @Test
    void anotherUsersDeviceShouldNotBeVisible() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        assertThat(deviceIds(alice)).doesNotContain(bob.deviceId());
        expectError(get(DEVICES + "/" + bob.deviceId(), alice.accessToken()), 404, "M_NOT_FOUND");
        expectError(http.put().uri(DEVICES + "/" + bob.deviceId()).header("Authorization", alice.bearer())
                .bodyValue(Map.of("display_name", "mine now")).exchange(), 404, "M_NOT_FOUND");
        ok(get(WHOAMI, bob.accessToken()));
    }

    @Test
    void deleteDeviceShouldNeedUiaAndThenKillItsToken() {
        String name = unique("deldev");
        Session a = accounts.register(name, "pw-deldev-1");
        Session b = accounts.login(name, "pw-deldev-1", false);
        Map<String, Object> challenge = expectUia(http.delete().uri(DEVICES + "/" + b.deviceId())
                .header("Authorization", a.bearer()).exchange());
        Map<String, Object> failed = expectUia(deleteWithBody(a, DEVICES + "/" + b.deviceId(),
                Map.of("auth", passwordAuth(a, "wrong", challenge.get("session")))));
        assertThat(failed).containsEntry("errcode", "M_FORBIDDEN");
        ok(get(WHOAMI, b.accessToken()));
        ok(deleteWithBody(a, DEVICES + "/" + b.deviceId(),
                Map.of("auth", passwordAuth(a, "pw-deldev-1", challenge.get("session")))));
        expectError(get(WHOAMI, b.accessToken()), 401, "M_UNKNOWN_TOKEN");
        assertThat(deviceIds(a)).containsExactly(a.deviceId());
    }

    @Test
    void deleteDeviceShouldBe404ForAnotherUsersDevice() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        expectError(http.delete().uri(DEVICES + "/" + bob.deviceId()).header("Authorization", alice.bearer())
                .exchange(), 404, "M_NOT_FOUND");
        ok(get(WHOAMI, bob.accessToken()));
    }

    @Test
    void deleteDevicesShouldNeedUiaAndThenDeleteEveryListedDevice() {
        String name = unique("delmany");
        Session a = accounts.register(name, "pw-delmany-1");
        Session b = accounts.login(name, "pw-delmany-1", false);
        Session c = accounts.login(name, "pw-delmany-1", false);
        Map<String, Object> request = Map.of("devices", List.of(b.deviceId(), c.deviceId()));
        Map<String, Object> challenge = expectUia(post("/_matrix/client/v3/delete_devices", request,
                a.accessToken()));
        ok(post("/_matrix/client/v3/delete_devices", Map.of("devices", List.of(b.deviceId(), c.deviceId()),
                "auth", passwordAuth(a, "pw-delmany-1", challenge.get("session"))), a.accessToken()));
        expectError(get(WHOAMI, b.accessToken()), 401, "M_UNKNOWN_TOKEN");
        expectError(get(WHOAMI, c.accessToken()), 401, "M_UNKNOWN_TOKEN");
        assertThat(deviceIds(a)).containsExactly(a.deviceId());
    }

    @Test
    void deleteDevicesShouldBe400WhenTheListIsMissingOrMalformed() {
        Session s = accounts.register(unique("delbad"), "pw-delbad-1");
        expectError(post("/_matrix/client/v3/delete_devices", Map.of(), s.accessToken()), 400, "M_MISSING_PARAM");
        expectError(post("/_matrix/client/v3/delete_devices", Map.of("devices", "ABC"), s.accessToken()), 400,
                "M_BAD_JSON");
        expectError(post("/_matrix/client/v3/delete_devices", Map.of("devices", List.of(1)), s.accessToken()), 400,
                "M_BAD_JSON");
    }

    private void changePassword(Session s, String oldPassword, String newPassword, Boolean logoutDevices) {
        Map<String, Object> first = logoutDevices == null ? Map.of("new_password", newPassword)
                : Map.of("new_password", newPassword, "logout_devices", logoutDevices);
        Map<String, Object> challenge = expectUia(post(PASSWORD, first, s.accessToken()));
        Map<String, Object> second = new HashMap<>(first);
        second.put("auth", passwordAuth(s, oldPassword, challenge.get("session")));
        ok(post(PASSWORD, second, s.accessToken()));
    }

    private WebTestClient.ResponseSpec deleteWithBody(Session s, String uri, Map<String, Object> body) {
        return http.method(HttpMethod.DELETE).uri(uri).header("Authorization", s.bearer())
                .bodyValue(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private List<Object> deviceIds(Session s) {
        List<Map<String, Object>> devices = (List<Map<String, Object>>) ok(get(DEVICES, s.accessToken()))
                .get("devices");
        return devices.stream().map(d -> d.get("device_id")).toList();
    }

    private static Map<String, Object> passwordAuth(Session s, String password, Object session) {
        return Map.of("type", "m.login.password", "password", password, "session", session,
                "identifier", Map.of("type", "m.id.user", "user", s.userId()));
    }

    private static Map<String, Object> passwordLogin(String user, String password) {
        return Map.of("type", "m.login.password", "password", password,
                "identifier", Map.of("type", "m.id.user", "user", user));
    }
}
