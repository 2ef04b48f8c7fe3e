package org.myelin.homeserver.api;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** Closed registration and no shared secret: nobody can create an account through the API. */
@TestPropertySource(properties = {"myelin.registration.mode=closed", "myelin.registration.shared-secret="})
class RegistrationClosedIT extends HomeserverIT {

    @Test
    void registrationShouldBe403ForbiddenWhenRegistrationIsClosed() {
        expectError(post("/_matrix/client/v3/register", Map.of("username", "closed1", "password", "pw"), null),
                403, "M_FORBIDDEN");
        expectError(post("/_matrix/client/v3/register", Map.of("username", "closed1", "password", "pw",
                "auth", Map.of("type", "m.login.dummy")), null), 403, "M_FORBIDDEN");
    }

    @Test
    void tokenValidityShouldBe403ForbiddenWhenTokensAreNotInUse() {
        expectError(get("/_matrix/client/v1/register/m.login.registration_token/validity?token=abc", null), 403,
                "M_FORBIDDEN");
    }

    @Test
    void sharedSecretRegistrationShouldBe403WhenNoSecretIsConfigured() {
        expectError(get("/_synapse/admin/v1/register", null), 403, "M_FORBIDDEN");
        expectError(post("/_synapse/admin/v1/register", Map.of("nonce", "n", "username", "u", "password", "p",
                "mac", "00"), null), 403, "M_FORBIDDEN");
    }
}
