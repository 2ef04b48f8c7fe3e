package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/** Login, refresh tokens, logout, and how access tokens are presented. */
class LoginIT extends HomeserverIT {

    private static final String LOGIN = "/_matrix/client/v3/login";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @Test
    void loginFlowsShouldOfferPassword() {
        assertThat(ok(get(LOGIN, null))).isEqualTo(Map.of("flows", List.of(Map.of("type", "m.login.password"))));
    }

    @Test
    void passwordLoginShouldWorkByLocalpart() {
        String name = unique("bylocal");
        accounts.register(name, "pw-local-1");
        Map<String, Object> body = ok(post(LOGIN, passwordLogin(name, "pw-local-1"), null));
        assertThat(body).containsEntry("user_id", "@" + name + ":test.local")
                .containsEntry("home_server", "test.local").containsKeys("access_token", "device_id")
                .doesNotContainKey("refresh_token");
        assertThat(ok(get(WHOAMI, (String) body.get("access_token")))).containsEntry("device_id",
                body.get("device_id"));
    }

    @Test
    void passwordLoginShouldWorkByFullUserId() {
        String name = unique("byid");
        accounts.register(name, "pw-id-1");
        ok(post(LOGIN, passwordLogin("@" + name + ":test.local", "pw-id-1"), null));
    }

    @Test
    void passwordLoginShouldWorkWithTheLegacyUserField() {
        String name = unique("legacy");
        accounts.register(name, "pw-legacy-1");
        Map<String, Object> body = ok(post(LOGIN, Map.of("type", "m.login.password", "user", name,
                "password", "pw-legacy-1"), null));
        assertThat(body).containsEntry("user_id", "@" + name + ":test.local");
    }

    @Test
    void loginShouldReuseTheGivenDeviceId() {
        String name = unique("samedevice");
        accounts.register(name, "pw-dev-1");
        Map<String, Object> login = Map.of("type", "m.login.password", "password", "pw-dev-1", "device_id", "KEEPME",
                "initial_device_display_name", "Laptop", "identifier", Map.of("type", "m.id.user", "user", name));
        Map<String, Object> body = ok(post(LOGIN, login, null));
        assertThat(body).containsEntry("device_id", "KEEPME");
        assertThat(ok(get("/_matrix/client/v3/devices/KEEPME", (String) body.get("access_token"))))
                .containsEntry("display_name", "Laptop");
    }

    @Test
    void loginShouldBe403ForbiddenWhenThePasswordIsWrong() {
        String name = unique("wrongpw");
        accounts.register(name, "pw-right-1");
        expectError(post(LOGIN, passwordLogin(name, "pw-wrong-1"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void loginShouldBe403ForbiddenWhenTheUserIsUnknown() {
        expectError(post(LOGIN, passwordLogin(unique("nobody"), "pw"), null), 403, "M_FORBIDDEN");
        expectError(post(LOGIN, passwordLogin("@someone:other.server", "pw"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void loginShouldBe400UnknownWhenTheLoginTypeIsUnknown() {
        expectError(post(LOGIN, Map.of("type", "m.login.magic", "user", "x"), null), 400, "M_UNKNOWN");
    }

    @Test
    void loginShouldBe400UnknownWhenTheIdentifierTypeIsUnsupported() {
        expectError(post(LOGIN, Map.of("type", "m.login.password", "password", "pw",
                "identifier", Map.of("type", "m.id.phone", "country", "GB", "phone", "07700900000")), null),
                400, "M_UNKNOWN");
    }

    @Test
    void loginShouldBe400MissingParamWhenFieldsAreMissing() {
        expectError(post(LOGIN, Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", "someone")), null), 400, "M_MISSING_PARAM");
        expectError(post(LOGIN, Map.of("type", "m.login.password", "password", "pw"), null), 400,
                "M_MISSING_PARAM");
        expectError(post(LOGIN, Map.of("password", "pw", "user", "someone"), null), 400, "M_MISSING_PARAM");
    }

    @Test
    void loginShouldBe400BadJsonWhenTheUserHoldsNul() {
        expectError(post(LOGIN, passwordLogin("a\u0000b", "pw"), null), 400, "M_BAD_JSON");
    }

    @Test
    void refreshShouldIssueNewTokensAndRevokeTheOldPair() {
        String name = unique("refresher");
        accounts.register(name, "pw-refresh-1");
        Session first = accounts.login(name, "pw-refresh-1", true);
        assertThat(first.refreshToken()).isNotBlank();

        Map<String, Object> refreshed = ok(post("/_matrix/client/v3/refresh",
                Map.of("refresh_token", first.refreshToken()), null));
        String newAccess = (String) refreshed.get("access_token");
        String newRefresh = (String) refreshed.get("refresh_token");
        assertThat(newAccess).isNotBlank().isNotEqualTo(first.accessToken());
        assertThat(newRefresh).isNotBlank().isNotEqualTo(first.refreshToken());
        assertThat(((Number) refreshed.get("expires_in_ms")).longValue()).isPositive();

        expectError(post("/_matrix/client/v3/refresh", Map.of("refresh_token", first.refreshToken()), null), 401,
                "M_UNKNOWN_TOKEN");
        expectError(get(WHOAMI, first.accessToken()), 401, "M_UNKNOWN_TOKEN");
        assertThat(ok(get(WHOAMI, newAccess))).containsEntry("device_id", first.deviceId());
        ok(post("/_matrix/client/v3/refresh", Map.of("refresh_token", newRefresh), null));
    }

    @Test
    void refreshShouldBe401UnknownTokenWhenTheTokenIsUnknownAnd400WhenMissing() {
        expectError(post("/_matrix/client/v3/refresh", Map.of("refresh_token", "myr_nonsense"), null), 401,
                "M_UNKNOWN_TOKEN");
        expectError(post("/_matrix/client/v3/refresh", Map.of(), null), 400, "M_MISSING_PARAM");
    }

    @Test
    void logoutShouldKillTheTokenAndDeleteTheDevice() {
        String name = unique("logout");
        Session a = accounts.register(name, "pw-logout-1");
        Session b = accounts.login(name, "pw-logout-1", false);
        ok(post("/_matrix/client/v3/logout", Map.of(), b.accessToken()));
        expectError(get(WHOAMI, b.accessToken()), 401, "M_UNKNOWN_TOKEN");
        expectError(get("/_matrix/client/v3/devices/" + b.deviceId(), a.accessToken()), 404, "M_NOT_FOUND");
        ok(get(WHOAMI, a.accessToken()));
    }

    @Test
    void logoutShouldAlsoEndTheRefreshToken() {
        String name = unique("logoutrefresh");
        accounts.register(name, "pw-lr-1");
        Session s = accounts.login(name, "pw-lr-1", true);
        ok(post("/_matrix/client/v3/logout", Map.of(), s.accessToken()));
        expectError(post("/_matrix/client/v3/refresh", Map.of("refresh_token", s.refreshToken()), null), 401,
                "M_UNKNOWN_TOKEN");
    }

    @Test
    void logoutAllShouldKillEveryToken() {
        String name = unique("logoutall");
        Session a = accounts.register(name, "pw-all-1");
        Session b = accounts.login(name, "pw-all-1", false);
        Session c = accounts.login(name, "pw-all-1", true);
        ok(http.post().uri("/_matrix/client/v3/logout/all").header("Authorization", a.bearer()).exchange());
        for (Session s : List.of(a, b, c)) {
            expectError(get(WHOAMI, s.accessToken()), 401, "M_UNKNOWN_TOKEN");
        }
        expectError(post("/_matrix/client/v3/refresh", Map.of("refresh_token", c.refreshToken()), null), 401,
                "M_UNKNOWN_TOKEN");
        accounts.login(name, "pw-all-1", false);
    }

    @Test
    void logoutShouldBe401WithoutAToken() {
        expectError(post("/_matrix/client/v3/logout", Map.of(), null), 401, "M_MISSING_TOKEN");
        expectError(post("/_matrix/client/v3/logout/all", Map.of(), null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void accessTokenShouldBeAcceptedAsAQueryParameter() {
        Session s = accounts.register(unique("query"), "pw-query-1");
        assertThat(ok(get(WHOAMI + "?access_token=" + s.accessToken(), null))).containsEntry("user_id", s.userId());
        expectError(get(WHOAMI + "?access_token=mya_unknown", null), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void unknownBearerTokenShouldBe401UnknownToken() {
        expectError(get(WHOAMI, "mya_not-a-real-token"), 401, "M_UNKNOWN_TOKEN");
    }

    private static Map<String, Object> passwordLogin(String user, String password) {
        return Map.of("type", "m.login.password", "password", password,
                "identifier", Map.of("type", "m.id.user", "user", user));
    }
}
