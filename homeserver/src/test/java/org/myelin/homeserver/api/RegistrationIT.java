package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.BodyInserters;

import reactor.core.publisher.Flux;

/** Open registration with UIA (m.login.dummy), availability checks, body limits, and shared-secret registration. */
@TestPropertySource(properties = "myelin.limits.max-request-bytes=4096")
class RegistrationIT extends HomeserverIT {

    private static final String REGISTER = "/_matrix/client/v3/register";
    private static final String ADMIN_REGISTER = "/_synapse/admin/v1/register";

    @Test
    @SuppressWarnings("unchecked")
    void firstStepShouldOfferDummyFlowWithSessionAndParamsWhenNoAuth() {
        Map<String, Object> challenge = expectUia(post(REGISTER,
                Map.of("username", unique("uia"), "password", "pw-uia-1"), null));
        assertThat(challenge).doesNotContainKey("errcode");
        List<Map<String, Object>> flows = (List<Map<String, Object>>) challenge.get("flows");
        assertThat(flows).anySatisfy(f -> assertThat((List<Object>) f.get("stages")).containsExactly("m.login.dummy"));
        assertThat(challenge.get("session")).isInstanceOf(String.class);
        assertThat(challenge.get("params")).isInstanceOf(Map.class);
    }

    @Test
    void secondStepShouldCreateTheAccountWhenDummyAuthIsGiven() {
        String name = unique("alice");
        Map<String, Object> body = accounts.registerWith(Map.of("username", name, "password", "pw-alice-1"));
        assertThat(body).containsEntry("user_id", "@" + name + ":test.local")
                .containsKeys("access_token", "device_id").doesNotContainKeys("refresh_token", "expires_in_ms");
        ok(get("/_matrix/client/v3/account/whoami", (String) body.get("access_token")));
        accounts.login(name, "pw-alice-1", false);
    }

    @Test
    void registrationShouldReturnOnlyTheUserIdWhenLoginIsInhibited() {
        String name = unique("inhibit");
        Map<String, Object> body = accounts.registerWith(Map.of("username", name, "password", "pw-inh-1",
                "inhibit_login", true));
        assertThat(body).isEqualTo(Map.of("user_id", "@" + name + ":test.local"));
        accounts.login(name, "pw-inh-1", false);
    }

    @Test
    void registrationShouldUseTheGivenDeviceIdAndDisplayName() {
        Map<String, Object> body = accounts.registerWith(Map.of("username", unique("dev"), "password", "pw-dev-1",
                "device_id", "MYDEVICE", "initial_device_display_name", "My phone"));
        assertThat(body).containsEntry("device_id", "MYDEVICE");
        Map<String, Object> device = ok(get("/_matrix/client/v3/devices/MYDEVICE",
                (String) body.get("access_token")));
        assertThat(device).containsEntry("device_id", "MYDEVICE").containsEntry("display_name", "My phone");
    }

    @Test
    void registrationShouldIssueARefreshTokenWhenAsked() {
        Map<String, Object> body = accounts.registerWith(Map.of("username", unique("refresh"),
                "password", "pw-ref-1", "refresh_token", true));
        assertThat(body.get("refresh_token")).isInstanceOf(String.class);
        assertThat(((Number) body.get("expires_in_ms")).longValue()).isPositive();
    }

    @Test
    void usernameShouldBeFoldedToLowerCaseWhenGivenInUpperCase() {
        String name = unique("MixedCase");
        Map<String, Object> body = accounts.registerWith(Map.of("username", name, "password", "pw-mixed-1"));
        assertThat(body).containsEntry("user_id", "@" + name.toLowerCase() + ":test.local");
    }

    @Test
    void registrationShouldBe400InvalidUsernameWhenUsernameHasForbiddenCharacters() {
        expectError(post(REGISTER, Map.of("username", "bad name!", "password", "pw"), null), 400,
                "M_INVALID_USERNAME");
        expectError(post(REGISTER, Map.of("username", "_reserved", "password", "pw"), null), 400,
                "M_INVALID_USERNAME");
        expectError(post(REGISTER, Map.of("username", "", "password", "pw"), null), 400, "M_INVALID_USERNAME");
    }

    @Test
    void registrationShouldBe400UserInUseWhenUsernameIsTaken() {
        String name = unique("taken");
        accounts.register(name, "pw-taken-1");
        expectError(post(REGISTER, Map.of("username", name, "password", "pw"), null), 400, "M_USER_IN_USE");
        expectError(post(REGISTER, Map.of("username", name.toUpperCase(), "password", "pw"), null), 400,
                "M_USER_IN_USE");
    }

    @Test
    void registrationShouldBe400UserInUseWhenTakenBetweenTheTwoSteps() {
        String name = unique("race");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw"), null));
        accounts.register(name, "pw-race-1");
        expectError(post(REGISTER, Map.of("username", name, "password", "pw",
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))), null), 400,
                "M_USER_IN_USE");
    }

    @Test
    void availableShouldBeTrueForAFreeNameAndUserInUseForATakenOne() {
        String name = unique("avail");
        assertThat(ok(get("/_matrix/client/v3/register/available?username=" + name, null)))
                .isEqualTo(Map.of("available", true));
        accounts.register(name, "pw-avail-1");
        expectError(get("/_matrix/client/v3/register/available?username=" + name, null), 400, "M_USER_IN_USE");
    }

    @Test
    void availableShouldBe400WhenUsernameIsMissingOrInvalid() {
        expectError(get("/_matrix/client/v3/register/available", null), 400, "M_MISSING_PARAM");
        expectError(get("/_matrix/client/v3/register/available?username=no%20spaces", null), 400,
                "M_INVALID_USERNAME");
    }

    @Test
    void guestRegistrationShouldBe403GuestAccessForbidden() {
        expectError(post(REGISTER + "?kind=guest", Map.of(), null), 403, "M_GUEST_ACCESS_FORBIDDEN");
    }

    @Test
    void registrationShouldBe400NotJsonWhenBodyIsNotJson() {
        expectError(http.post().uri(REGISTER).contentType(MediaType.APPLICATION_JSON).bodyValue("not json")
                .exchange(), 400, "M_NOT_JSON");
        expectError(http.post().uri(REGISTER).contentType(MediaType.APPLICATION_JSON).exchange(), 400,
                "M_NOT_JSON");
    }

    @Test
    void registrationShouldBe400BadJsonWhenBodyIsAnArray() {
        expectError(http.post().uri(REGISTER).contentType(MediaType.APPLICATION_JSON).bodyValue("[1, 2]")
                .exchange(), 400, "M_BAD_JSON");
    }

    @Test
    void registrationShouldBe400BadJsonWhenAFieldHasTheWrongType() {
        expectError(post(REGISTER, Map.of("username", 42, "password", "pw"), null), 400, "M_BAD_JSON");
        expectError(post(REGISTER, Map.of("username", unique("types"), "password", List.of("pw")), null), 400,
                "M_BAD_JSON");
        expectError(post(REGISTER, Map.of("username", unique("types"), "password", "pw", "auth", "dummy"), null),
                400, "M_BAD_JSON");
        expectError(post(REGISTER, Map.of("username", unique("types"), "password", "pw", "inhibit_login", "yes",
                "auth", Map.of("type", "m.login.dummy")), null), 400, "M_BAD_JSON");
    }

    @Test
    void registrationContinuedWithOnlyAuthShouldUseTheFirstRequestsParameters() {
        String name = unique("continued");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw-cont-1",
                "initial_device_display_name", "first request"), null));
        Map<String, Object> body = ok(post(REGISTER, Map.of(
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))), null));
        assertThat(body).containsEntry("user_id", "@" + name + ":test.local").containsKey("access_token");
        accounts.login(name, "pw-cont-1", false);
        expectError(get("/_matrix/client/v3/register/available?username=" + name, null), 400, "M_USER_IN_USE");
    }

    @Test
    void registrationShouldBe400MissingParamWhenNoRequestOfTheSessionHadAPassword() {
        String name = unique("nopassword");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name), null));
        expectError(post(REGISTER, Map.of("username", name,
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))), null), 400,
                "M_MISSING_PARAM");
        assertThat(ok(get("/_matrix/client/v3/register/available?username=" + name, null)))
                .isEqualTo(Map.of("available", true));
        expectError(post(REGISTER, Map.of("username", name, "auth", Map.of("type", "m.login.dummy")), null), 400,
                "M_MISSING_PARAM");
    }

    @Test
    void completingTheSameSessionTwiceShouldLogInAsTheSameUser() {
        String name = unique("twice");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", name, "password", "pw-2x"),
                null));
        Map<String, Object> retry = Map.of("username", name, "password", "pw-2x",
                "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session")));
        Map<String, Object> first = ok(post(REGISTER, retry, null));
        Map<String, Object> second = ok(post(REGISTER, retry, null));
        assertThat(second.get("user_id")).isEqualTo(first.get("user_id"));
        assertThat(second.get("access_token")).isNotEqualTo(first.get("access_token"));
        ok(get("/_matrix/client/v3/account/whoami", (String) second.get("access_token")));
        ok(get("/_matrix/client/v3/account/whoami", (String) first.get("access_token")));
    }

    @Test
    void aRegistrationSessionShouldNotBeUsableForAnotherOperation() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Map<String, Object> challenge = expectUia(post(REGISTER, Map.of("username", unique("other"),
                "password", "pw"), null));
        expectError(post("/_matrix/client/v3/account/password", Map.of("new_password", "stolen",
                "auth", Map.of("type", "m.login.password", "password", "pw-alice-1",
                        "session", challenge.get("session"),
                        "identifier", Map.of("type", "m.id.user", "user", alice.userId()))), alice.accessToken()),
                403, "M_FORBIDDEN");
    }

    @Test
    void registrationShouldBe400InvalidParamWhenKindIsUnknown() {
        expectError(post(REGISTER + "?kind=robot", Map.of(), null), 400, "M_INVALID_PARAM");
    }

    @Test
    void emailRequestTokensShouldBe400MediumNotSupportedWithoutAnSmtpServer() {
        Map<String, Object> request = Map.of("client_secret", "secret1", "email", "a@example.org",
                "send_attempt", 1);
        for (String path : List.of("/register/email/requestToken", "/account/3pid/email/requestToken",
                "/account/password/email/requestToken", "/register/msisdn/requestToken")) {
            expectError(post("/_matrix/client/v3" + path, request, null), 400, "M_THREEPID_MEDIUM_NOT_SUPPORTED");
        }
    }

    @Test
    void registrationShouldBe400WhenUiaSessionIsUnknown() {
        expectError(post(REGISTER, Map.of("username", unique("nosession"), "password", "pw",
                "auth", Map.of("type", "m.login.dummy", "session", "no-such-session")), null), 400, "M_UNKNOWN");
    }

    @Test
    void registrationShouldBe413TooLargeWhenContentLengthIsOverTheLimit() {
        expectError(http.post().uri(REGISTER).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(largeJson()).exchange(), 413, "M_TOO_LARGE");
    }

    @Test
    void registrationShouldBe413TooLargeWhenAChunkedBodyIsOverTheLimit() {
        byte[] json = largeJson().getBytes(StandardCharsets.UTF_8);
        Flux<DataBuffer> chunks = Flux.range(0, 8).map(i -> DefaultDataBufferFactory.sharedInstance
                .wrap(Arrays.copyOfRange(json, i * json.length / 8, (i + 1) * json.length / 8)));
        expectError(http.post().uri(REGISTER).contentType(MediaType.APPLICATION_JSON)
                .header("Transfer-Encoding", "chunked").body(BodyInserters.fromDataBuffers(chunks)).exchange(),
                413, "M_TOO_LARGE");
    }

    @Test
    void sharedSecretRegistrationShouldCreateAnAdminWhenTheMacIsRight() {
        String name = unique("admin");
        Session admin = accounts.registerBySharedSecret(name, "pw-admin-1", true);
        assertThat(admin.userId()).isEqualTo("@" + name + ":test.local");
        assertThat(admin.accessToken()).isNotBlank();
        ok(get("/_synapse/admin/v1/registration_tokens", admin.accessToken()));
        accounts.login(name, "pw-admin-1", false);
    }

    @Test
    void sharedSecretRegistrationShouldCreateANonAdminWhenAdminIsFalse() {
        Session user = accounts.registerBySharedSecret(unique("plain"), "pw-plain-1", false);
        expectError(get("/_synapse/admin/v1/registration_tokens", user.accessToken()), 403, "M_FORBIDDEN");
    }

    @Test
    void sharedSecretRegistrationShouldBe403ForbiddenWhenTheMacIsWrong() {
        String name = unique("wrongmac");
        String nonce = nonce();
        expectError(post(ADMIN_REGISTER, Map.of("nonce", nonce, "username", name, "password", "pw", "admin", true,
                "mac", Accounts.sharedSecretMac("not-the-secret", nonce, name, "pw", true)), null), 403,
                "M_FORBIDDEN");
        expectError(post(ADMIN_REGISTER, Map.of("nonce", nonce, "username", name, "password", "pw", "admin", true,
                "mac", Accounts.sharedSecretMac(SHARED_SECRET, nonce, name, "pw", false)), null), 403,
                "M_FORBIDDEN");
        expectError(post(ADMIN_REGISTER, Map.of("nonce", nonce, "username", name, "password", "pw",
                "mac", "zz-not-hex"), null), 403, "M_FORBIDDEN");
    }

    @Test
    void sharedSecretRegistrationShouldBe400InvalidParamWhenTheNonceIsReused() {
        String nonce = nonce();
        String first = unique("nonce");
        ok(post(ADMIN_REGISTER, Map.of("nonce", nonce, "username", first, "password", "pw",
                "mac", Accounts.sharedSecretMac(SHARED_SECRET, nonce, first, "pw", false)), null));
        String second = unique("nonce");
        expectError(post(ADMIN_REGISTER, Map.of("nonce", nonce, "username", second, "password", "pw",
                "mac", Accounts.sharedSecretMac(SHARED_SECRET, nonce, second, "pw", false)), null), 400,
                "M_INVALID_PARAM");
    }

    @Test
    void sharedSecretRegistrationShouldBe400WhenAFieldIsMissing() {
        expectError(post(ADMIN_REGISTER, Map.of("nonce", nonce(), "username", unique("missing")), null), 400,
                "M_MISSING_PARAM");
    }

    private String nonce() {
        return (String) ok(get(ADMIN_REGISTER, null)).get("nonce");
    }

    private static String largeJson() {
        return "{\"username\": \"big\", \"password\": \"" + "x".repeat(8000) + "\"}";
    }
}
