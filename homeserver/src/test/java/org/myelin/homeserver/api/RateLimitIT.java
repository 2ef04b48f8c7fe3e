package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Login and registration attempts are limited per client address; the 429 says when to retry. */
@TestPropertySource(properties = {
        "myelin.rate-limits.login.per-second=0.01",
        "myelin.rate-limits.login.burst=2",
        "myelin.rate-limits.register.per-second=0.01",
        "myelin.rate-limits.register.burst=2"})
class RateLimitIT extends HomeserverIT {

    @Test
    void thirdQuickLoginShouldBe429LimitExceeded() {
        Map<String, Object> attempt = Map.of("type", "m.login.password", "password", "pw",
                "identifier", Map.of("type", "m.id.user", "user", "nobody"));
        expectError(post("/_matrix/client/v3/login", attempt, null), 403, "M_FORBIDDEN");
        expectError(post("/_matrix/client/v3/login", attempt, null), 403, "M_FORBIDDEN");
        assertLimited(post("/_matrix/client/v3/login", attempt, null));
        assertLimited(post("/_matrix/client/v3/refresh", Map.of("refresh_token", "x"), null));
    }

    @Test
    void thirdQuickRegistrationShouldBe429LimitExceeded() {
        Map<String, Object> attempt = Map.of("username", "ratelimited", "password", "pw");
        expectUia(post("/_matrix/client/v3/register", attempt, null));
        expectUia(post("/_matrix/client/v3/register", attempt, null));
        assertLimited(post("/_matrix/client/v3/register", attempt, null));
        assertLimited(get("/_matrix/client/v3/register/available?username=free", null));
    }

    private static void assertLimited(WebTestClient.ResponseSpec response) {
        response.expectHeader().value("Retry-After", v -> assertThat(Long.parseLong(v)).isPositive());
        Map<String, Object> body = expectError(response, 429, "M_LIMIT_EXCEEDED");
        assertThat(body.get("retry_after_ms")).isInstanceOf(Number.class);
        assertThat(((Number) body.get("retry_after_ms")).longValue()).isPositive();
    }
}
