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
    private static final String USERINFO = "/_matrix/federation/v1/openid/userinfo";

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

    @Test
    void aCompletedDeviceDeletionSessionShouldNotDeleteAnotherDevice() {
        String name = unique("bound");
        Session a = accounts.register(name, "pw-bound-1");
        Session b = accounts.login(name, "pw-bound-1", false);
        Session c = accounts.login(name, "pw-bound-1", false);
        Map<String, Object> challenge = expectUia(deleteWithBody(a, DEVICES + "/" + b.deviceId(), Map.of()));
        Map<String, Object> auth = passwordAuth(a, "pw-bound-1", challenge.get("session"));
        ok(deleteWithBody(a, DEVICES + "/" + b.deviceId(), Map.of("auth", auth)));
        expectError(deleteWithBody(a, DEVICES + "/" + c.deviceId(), Map.of("auth", auth)), 403, "M_FORBIDDEN");
        ok(get(WHOAMI, c.accessToken()));
    }

    @Test
    void aDeleteDevicesSessionShouldBeBoundToItsListOfDevices() {
        String name = unique("boundlist");
        Session a = accounts.register(name, "pw-bl-1");
        Session b = accounts.login(name, "pw-bl-1", false);
        Session c = accounts.login(name, "pw-bl-1", false);
        Map<String, Object> challenge = expectUia(post("/_matrix/client/v3/delete_devices",
                Map.of("devices", List.of(b.deviceId())), a.accessToken()));
        expectError(post("/_matrix/client/v3/delete_devices", Map.of("devices", List.of(b.deviceId(), c.deviceId()),
                "auth", passwordAuth(a, "pw-bl-1", challenge.get("session"))), a.accessToken()), 403, "M_FORBIDDEN");
        // Only auth: the session's own list is deleted.
        ok(post("/_matrix/client/v3/delete_devices", Map.of("auth", passwordAuth(a, "pw-bl-1",
                challenge.get("session"))), a.accessToken()));
        expectError(get(WHOAMI, b.accessToken()), 401, "M_UNKNOWN_TOKEN");
        ok(get(WHOAMI, c.accessToken()));
    }

    @Test
    void passwordStageNamingAnotherUserShouldBe403Forbidden() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Map<String, Object> challenge = expectUia(post(DEACTIVATE, Map.of(), alice.accessToken()));
        expectError(post(DEACTIVATE, Map.of("auth", passwordAuth(bob, "pw-bob-1", challenge.get("session"))),
                alice.accessToken()), 403, "M_FORBIDDEN");
        ok(get(WHOAMI, alice.accessToken()));
    }

    @Test
    void passwordChangeContinuedWithOnlyAuthShouldUseTheFirstRequestsNewPassword() {
        String name = unique("pwcont");
        Session s = accounts.register(name, "pw-cont-old");
        Map<String, Object> challenge = expectUia(post(PASSWORD, Map.of("new_password", "pw-cont-new"),
                s.accessToken()));
        ok(post(PASSWORD, Map.of("auth", passwordAuth(s, "pw-cont-old", challenge.get("session"))),
                s.accessToken()));
        accounts.login(name, "pw-cont-new", false);
        expectError(post(LOGIN, passwordLogin(name, "pw-cont-old"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void aRetryWithACompletedPasswordSessionShouldNotChangeThePasswordAgain() {
        String name = unique("pwretry");
        Session s = accounts.register(name, "pw-retry-old");
        Map<String, Object> challenge = expectUia(post(PASSWORD, Map.of("new_password", "pw-retry-new"),
                s.accessToken()));
        ok(post(PASSWORD, Map.of("new_password", "pw-retry-new",
                "auth", passwordAuth(s, "pw-retry-old", challenge.get("session"))), s.accessToken()));
        ok(post(PASSWORD, Map.of("new_password", "pw-retry-hijacked", "auth", Map.of("session",
                challenge.get("session"))), s.accessToken()));
        accounts.login(name, "pw-retry-new", false);
        expectError(post(LOGIN, passwordLogin(name, "pw-retry-hijacked"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void openIdTokensShouldBeExchangedForTheUserOverFederation() {
        Session s = accounts.register(unique("openid"), "pw-openid-1");
        Map<String, Object> token = ok(post("/_matrix/client/v3/user/" + s.userId() + "/openid/request_token",
                Map.of(), s.accessToken()));
        assertThat(token).containsEntry("token_type", "Bearer").containsEntry("matrix_server_name", "test.local")
                .containsEntry("expires_in", 3600);
        assertThat((String) token.get("access_token")).isNotEqualTo(s.accessToken());
        assertThat(ok(get(USERINFO + "?access_token=" + token.get("access_token"), null)))
                .isEqualTo(Map.of("sub", s.userId()));
        // It is good for nothing else.
        expectError(get(WHOAMI, (String) token.get("access_token")), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void openIdShouldRefuseOtherUsersAndUnknownTokens() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        expectError(post("/_matrix/client/v3/user/" + bob.userId() + "/openid/request_token", Map.of(),
                alice.accessToken()), 403, "M_FORBIDDEN");
        expectError(post("/_matrix/client/v3/user/" + alice.userId() + "/openid/request_token", Map.of(), null),
                401, "M_MISSING_TOKEN");
        expectError(get(USERINFO + "?access_token=no-such-token", null), 401, "M_UNKNOWN_TOKEN");
        expectError(get(USERINFO + "?access_token=" + alice.accessToken(), null), 401, "M_UNKNOWN_TOKEN");
        expectError(get(USERINFO, null), 400, "M_MISSING_PARAM");
    }

    @Test
    void openIdTokensOfADeactivatedAccountShouldStopWorking() {
        String name = unique("openidgone");
        Session s = accounts.register(name, "pw-og-1");
        String token = (String) ok(post("/_matrix/client/v3/user/" + s.userId() + "/openid/request_token",
                Map.of(), s.accessToken())).get("access_token");
        Map<String, Object> challenge = expectUia(post(DEACTIVATE, Map.of(), s.accessToken()));
        ok(post(DEACTIVATE, Map.of("auth", passwordAuth(s, "pw-og-1", challenge.get("session"))),
                s.accessToken()));
        expectError(get(USERINFO + "?access_token=" + token, null), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void identityServerEndpointsShouldAnswerClearly() {
        Session s = accounts.register(unique("idserver"), "pw-ids-1");
        assertThat(ok(get("/_matrix/client/v3/account/3pid", s.accessToken()))).isEqualTo(Map.of("threepids",
                List.of()));
        expectError(post("/_matrix/client/v3/account/3pid/bind", Map.of("client_secret", "c", "id_server",
                "id.example.org", "id_access_token", "t", "sid", "s"), s.accessToken()), 400, "M_SERVER_NOT_TRUSTED");
        expectError(post("/_matrix/client/v3/account/3pid/bind", Map.of("sid", "s"), s.accessToken()), 400,
                "M_MISSING_PARAM");
        expectError(post("/_matrix/client/v3/account/3pid", Map.of("three_pid_creds", Map.of("sid", "s")),
                s.accessToken()), 400, "M_SERVER_NOT_TRUSTED");
        expectError(post("/_matrix/client/v3/account/3pid", Map.of(), s.accessToken()), 400, "M_MISSING_PARAM");
        assertThat(ok(post("/_matrix/client/v3/account/3pid/unbind", Map.of("medium", "email", "address",
                "a@example.org"), s.accessToken()))).isEqualTo(Map.of("id_server_unbind_result", "no-support"));
        expectError(post("/_matrix/client/v3/account/3pid/unbind", Map.of("medium", "fax", "address", "1"),
                s.accessToken()), 400, "M_INVALID_PARAM");
        expectError(post("/_matrix/client/v3/account/3pid/delete", Map.of("address", "a@example.org"),
                s.accessToken()), 400, "M_MISSING_PARAM");
        expectError(get("/_matrix/client/v3/account/3pid", null), 401, "M_MISSING_TOKEN");
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
