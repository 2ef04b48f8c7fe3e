package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** Access tokens issued with a refresh token expire; the client is told to refresh (soft logout). */
@TestPropertySource(properties = "myelin.auth.access-token-lifetime=1ms")
class ExpiringTokenIT extends HomeserverIT {

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";

    @Test
    void expiredAccessTokenShouldBe401UnknownTokenWithSoftLogout() throws InterruptedException {
        String name = unique("expiring");
        accounts.register(name, "pw-exp-1");
        Session s = accounts.login(name, "pw-exp-1", true);
        Thread.sleep(5);
        Map<String, Object> error = expectError(get(WHOAMI, s.accessToken()), 401, "M_UNKNOWN_TOKEN");
        assertThat(error).containsEntry("soft_logout", true);

        Map<String, Object> refreshed = ok(post("/_matrix/client/v3/refresh",
                Map.of("refresh_token", s.refreshToken()), null));
        assertThat(refreshed).containsEntry("expires_in_ms", 1);
    }

    @Test
    void accessTokenWithoutRefreshTokenShouldNotExpire() throws InterruptedException {
        String name = unique("forever");
        accounts.register(name, "pw-forever-1");
        Session s = accounts.login(name, "pw-forever-1", false);
        Thread.sleep(5);
        assertThat(ok(get(WHOAMI, s.accessToken()))).containsEntry("user_id", s.userId());
    }

    @Test
    void revokedTokenShouldBe401WithoutSoftLogout() {
        Session s = accounts.register(unique("revoked"), "pw-rev-1");
        ok(post("/_matrix/client/v3/logout", Map.of(), s.accessToken()));
        assertThat(expectError(get(WHOAMI, s.accessToken()), 401, "M_UNKNOWN_TOKEN"))
                .doesNotContainEntry("soft_logout", true);
    }
}
