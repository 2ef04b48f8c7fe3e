package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** Token-only registration, and the admin API (Synapse's shape) that manages the tokens. */
@TestPropertySource(properties = "myelin.registration.mode=token")
class RegistrationTokenIT extends HomeserverIT {

    private static final String REGISTER = "/_matrix/client/v3/register";
    private static final String TOKENS = "/_synapse/admin/v1/registration_tokens";
    private static final String VALIDITY = "/_matrix/client/v1/register/m.login.registration_token/validity";
    private static final String TOKEN_STAGE = "m.login.registration_token";

    private Session admin;

    @BeforeEach
    void createAdmin() {
        admin = accounts.registerBySharedSecret(unique("admin"), "pw-admin-1", true);
    }

    @Test
    @SuppressWarnings("unchecked")
    void flowsShouldOfferOnlyTheRegistrationTokenStage() {
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", unique("flows"),
                "password", "pw"), null));
        List<Map<String, Object>> flows = (List<Map<String, Object>>) challenge.get("flows");
        assertThat(flows).allSatisfy(f -> assertThat((List<Object>) f.get("stages")).contains(TOKEN_STAGE))
                .noneSatisfy(f -> assertThat((List<Object>) f.get("stages")).contains("m.login.dummy"));
    }

    @Test
    void dummyStageShouldNotCompleteRegistrationInTokenMode() {
        String name = unique("dummy");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw"), null));
        Map<String, Object> again = expectUia(post(REGISTER, Map.of("username", name, "password", "pw",
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))), null));
        assertThat(again).containsEntry("errcode", "M_UNKNOWN");
    }

    @Test
    void badTokenShouldBe401ForbiddenInTheSameSession() {
        String name = unique("badtoken");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw"), null));
        Map<String, Object> failed = expectUia(post(REGISTER, Map.of("username", name, "password", "pw",
                "auth", tokenAuth("no-such-token", challenge.get("session"))), null));
        assertThat(failed).containsEntry("errcode", "M_FORBIDDEN")
                .containsEntry("session", challenge.get("session"));
        assertThat(failed.get("error")).isInstanceOf(String.class);
    }

    @Test
    void registrationShouldSucceedWithAnAdminCreatedToken() {
        String token = (String) createToken(Map.of()).get("token");
        assertThat(token).isNotBlank();
        assertThat(ok(get(VALIDITY + "?token=" + token, null))).isEqualTo(Map.of("valid", true));
        String name = unique("tokenuser");
        Map<String, Object> body = registerWithToken(name, token);
        assertThat(body).containsEntry("user_id", "@" + name + ":test.local").containsKey("access_token");
        Map<String, Object> row = ok(get(TOKENS + "/" + token, admin.accessToken()));
        assertThat(row).containsEntry("completed", 1).containsEntry("pending", 0);
    }

    @Test
    void singleUseTokenShouldBeUsedUpAfterOneRegistration() {
        createToken(Map.of("token", "once-only", "uses_allowed", 1));
        registerWithToken(unique("first"), "once-only");
        assertThat(ok(get(VALIDITY + "?token=once-only", null))).isEqualTo(Map.of("valid", false));
        String name = unique("second");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw"), null));
        Map<String, Object> failed = expectUia(post(REGISTER, Map.of("username", name, "password", "pw",
                "auth", tokenAuth("once-only", challenge.get("session"))), null));
        assertThat(failed).containsEntry("errcode", "M_FORBIDDEN");
    }

    @Test
    void validityShouldBeFalseForAnUnknownTokenAnd400WithoutOne() {
        assertThat(ok(get(VALIDITY + "?token=never-created", null))).isEqualTo(Map.of("valid", false));
        expectError(get(VALIDITY, null), 400, "M_MISSING_PARAM");
    }

    @Test
    @SuppressWarnings("unchecked")
    void adminShouldListGetUpdateAndDeleteTokens() {
        createToken(Map.of("token", "managed", "uses_allowed", 3));
        List<Map<String, Object>> all = (List<Map<String, Object>>) ok(get(TOKENS, admin.accessToken()))
                .get("registration_tokens");
        assertThat(all).anySatisfy(t -> assertThat(t).containsEntry("token", "managed"));
        assertThat(ok(get(TOKENS + "/managed", admin.accessToken()))).containsEntry("uses_allowed", 3)
                .containsEntry("pending", 0).containsEntry("completed", 0).containsEntry("expiry_time", null);

        long expiry = System.currentTimeMillis() + 3_600_000;
        Map<String, Object> updated = ok(http.put().uri(TOKENS + "/managed")
                .header("Authorization", admin.bearer()).bodyValue(Map.of("uses_allowed", 5, "expiry_time", expiry))
                .exchange());
        assertThat(updated).containsEntry("uses_allowed", 5).containsEntry("expiry_time", expiry);

        ok(http.delete().uri(TOKENS + "/managed").header("Authorization", admin.bearer()).exchange());
        expectError(get(TOKENS + "/managed", admin.accessToken()), 404, "M_NOT_FOUND");
        expectError(http.delete().uri(TOKENS + "/managed").header("Authorization", admin.bearer()).exchange(),
                404, "M_NOT_FOUND");
    }

    @Test
    void adminShouldBeRefusedInvalidTokenParameters() {
        expectError(post(TOKENS + "/new", Map.of("token", "has spaces"), admin.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(TOKENS + "/new", Map.of("uses_allowed", -1), admin.accessToken()), 400, "M_INVALID_PARAM");
        expectError(post(TOKENS + "/new", Map.of("expiry_time", 1000), admin.accessToken()), 400, "M_INVALID_PARAM");
        createToken(Map.of("token", "dup"));
        expectError(post(TOKENS + "/new", Map.of("token", "dup"), admin.accessToken()), 400, "M_INVALID_PARAM");
    }

    @Test
    void tokenAdminApiShouldBe403ForbiddenForNonAdmins() {
        String token = (String) createToken(Map.of()).get("token");
        Session user = accounts.registerBySharedSecret(unique("nonadmin"), "pw-user-1", false);
        expectError(get(TOKENS, user.accessToken()), 403, "M_FORBIDDEN");
        expectError(post(TOKENS + "/new", Map.of(), user.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(TOKENS + "/" + token, user.accessToken()), 403, "M_FORBIDDEN");
        expectError(http.put().uri(TOKENS + "/" + token).header("Authorization", user.bearer())
                .bodyValue(Map.of("uses_allowed", 1)).exchange(), 403, "M_FORBIDDEN");
        expectError(http.delete().uri(TOKENS + "/" + token).header("Authorization", user.bearer()).exchange(),
                403, "M_FORBIDDEN");
        expectError(get(TOKENS, null), 401, "M_MISSING_TOKEN");
    }

    private Map<String, Object> createToken(Map<String, Object> body) {
        return ok(post(TOKENS + "/new", body, admin.accessToken()));
    }

    private Map<String, Object> registerWithToken(String name, String token) {
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw"), null));
        return ok(post(REGISTER, Map.of("username", name, "password", "pw",
                "auth", tokenAuth(token, challenge.get("session"))), null));
    }

    private static Map<String, Object> tokenAuth(String token, Object session) {
        return Map.of("type", TOKEN_STAGE, "token", token, "session", session);
    }
}
