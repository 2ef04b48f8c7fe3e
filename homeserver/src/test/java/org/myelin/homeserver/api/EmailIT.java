package org.myelin.homeserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * E-mail addresses through a real SMTP server (GreenMail, in the test): registration that requires a validated
 * address, adding and removing addresses, password reset, logging in by address, and the validation link and
 * submit_url; every mail is read from the SMTP server and its link followed.
 */
class EmailIT extends HomeserverIT {

    private static final String V3 = "/_matrix/client/v3";
    private static final Pattern LINK = Pattern.compile("https?://\\S+/_synapse/client/email/submit_token\\?\\S+");
    private static final Pattern CODE = Pattern.compile("this code: (\\S+)");
    private static final GreenMail SMTP = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private final Set<String> readMails = new HashSet<>();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        SMTP.start();
        registry.add("myelin.email.smtp-host", () -> "127.0.0.1");
        registry.add("myelin.email.smtp-port", () -> SMTP.getSmtp().getPort());
        registry.add("myelin.email.smtp-tls", () -> "none");
        registry.add("myelin.email.from", () -> "myelin@test.local");
        registry.add("myelin.email.send-timeout", () -> "10s");
        registry.add("myelin.registration.require-email", () -> "true");
        registry.add("myelin.rate-limits.request-token.per-second", () -> "1000");
        registry.add("myelin.rate-limits.request-token.burst", () -> "1000");
        registry.add("myelin.rate-limits.request-token-per-address.per-second", () -> "0.001");
        registry.add("myelin.rate-limits.request-token-per-address.burst", () -> "3");
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @Test
    void registrationShouldNeedAValidatedAddressAndBindIt() throws Exception {
        String email = unique("newcomer") + "@example.org";
        String name = unique("newcomer");
        Map<String, Object> challenge = expectUia(post(V3 + "/register", Map.of("username", name,
                "password", "pw-new-1"), null));
        assertThat(challenge.get("flows")).isEqualTo(List.of(Map.of("stages", List.of("m.login.email.identity"))));

        Map<String, Object> request = Map.of("client_secret", "secret-reg", "email", email.toUpperCase(),
                "send_attempt", 1, "next_link", "https://client.example.org/registered");
        Map<String, Object> token = ok(post(V3 + "/register/email/requestToken", request, null));
        assertThat(token).containsKeys("sid", "submit_url");
        MimeMessage mail = mailTo(email);
        assertThat(mail.getSubject()).contains("test.local");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("myelin@test.local");
        // The same send_attempt again: the same session and no second mail.
        assertThat(ok(post(V3 + "/register/email/requestToken", request, null))).containsEntry("sid", token.get("sid"));
        assertThat(mailsTo(email)).isEqualTo(1);

        Map<String, Object> auth = Map.of("type", "m.login.email.identity", "session", challenge.get("session"),
                "threepid_creds", Map.of("sid", token.get("sid"), "client_secret", "secret-reg"));
        assertThat(expectUia(post(V3 + "/register", Map.of("auth", auth), null)))
                .containsEntry("errcode", "M_THREEPID_AUTH_FAILED");
        openLink(mail).expectStatus().isFound().expectHeader()
                .location("https://client.example.org/registered");
        Map<String, Object> registered = ok(post(V3 + "/register", Map.of("auth", auth), null));
        assertThat(registered).containsEntry("user_id", "@" + name + ":test.local");

        String accessToken = (String) registered.get("access_token");
        assertThat(threepids(accessToken)).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("medium", "email").containsEntry("address", email).containsKeys("validated_at",
                        "added_at"));
        assertThat(ok(post(V3 + "/login", Map.of("type", "m.login.password", "password", "pw-new-1",
                "identifier", Map.of("type", "m.id.thirdparty", "medium", "email", "address", email)), null)))
                .containsEntry("user_id", "@" + name + ":test.local");
        expectError(post(V3 + "/register/email/requestToken", Map.of("client_secret", "other", "email", email,
                "send_attempt", 1), null), 400, "M_THREEPID_IN_USE");
        assertThat(ok(get(V3 + "/capabilities", accessToken)).get("capabilities").toString())
                .contains("m.3pid_changes={enabled=true}");
    }

    @Test
    void anAddressShouldBeAddedAfterValidationAndUiaAndThenRemoved() throws Exception {
        Session alice = accounts.registerBySharedSecret(unique("alice"), "pw-alice-1", false);
        String email = unique("alice") + "@example.org";
        String sid = addAddress(alice, "pw-alice-1", email, "secret-add");
        assertThat(sid).isNotBlank();
        assertThat(threepids(alice.accessToken())).singleElement().satisfies(t -> assertThat(t)
                .containsEntry("address", email));

        Session bob = accounts.registerBySharedSecret(unique("bob"), "pw-bob-1", false);
        expectError(post(V3 + "/account/3pid/email/requestToken", Map.of("client_secret", "secret-bob",
                "email", email, "send_attempt", 1), bob.accessToken()), 400, "M_THREEPID_IN_USE");

        assertThat(ok(post(V3 + "/account/3pid/delete", Map.of("medium", "email", "address", email),
                alice.accessToken()))).containsEntry("id_server_unbind_result", "no-support");
        assertThat(threepids(alice.accessToken())).isEmpty();
    }

    @Test
    void addShouldBe400ThreepidAuthFailedForASessionNotValidated() throws Exception {
        Session carol = accounts.registerBySharedSecret(unique("carol"), "pw-carol-1", false);
        String email = unique("carol") + "@example.org";
        String sid = (String) ok(post(V3 + "/account/3pid/email/requestToken", Map.of("client_secret", "secret-c",
                "email", email, "send_attempt", 1), null)).get("sid");
        MimeMessage mail = mailTo(email);
        Map<String, Object> body = Map.of("sid", sid, "client_secret", "secret-c");
        Map<String, Object> challenge = expectUia(post(V3 + "/account/3pid/add", body, carol.accessToken()));
        expectError(post(V3 + "/account/3pid/add", withAuth(body, carol, "pw-carol-1", challenge), carol.accessToken()),
                400, "M_THREEPID_AUTH_FAILED");
        // The submit_url takes the token in a JSON body: a wrong one validates nothing.
        assertThat(ok(post("/_synapse/client/email/submit_token",
                Map.of("sid", sid, "client_secret", "secret-c", "token", "wrong"), null)))
                .containsEntry("success", false);
        assertThat(ok(post("/_synapse/client/email/submit_token", Map.of("sid", sid, "client_secret", "secret-c",
                "token", code(mail)), null))).containsEntry("success", true);
        Map<String, Object> again = expectUia(post(V3 + "/account/3pid/add", body, carol.accessToken()));
        ok(post(V3 + "/account/3pid/add", withAuth(body, carol, "pw-carol-1", again), carol.accessToken()));
        assertThat(threepids(carol.accessToken())).hasSize(1);
        expectError(post(V3 + "/account/3pid/add", Map.of("sid", sid), carol.accessToken()), 400, "M_MISSING_PARAM");
    }

    @Test
    void aPasswordShouldBeResetThroughTheMailedLink() throws Exception {
        String name = unique("forgetful");
        Session dave = accounts.registerBySharedSecret(name, "pw-old-1", false);
        String email = unique("forgetful") + "@example.org";
        addAddress(dave, "pw-old-1", email, "secret-d");

        expectError(post(V3 + "/account/password/email/requestToken", Map.of("client_secret", "secret-r",
                "email", "nobody-" + email, "send_attempt", 1), null), 400, "M_THREEPID_NOT_FOUND");
        String sid = (String) ok(post(V3 + "/account/password/email/requestToken", Map.of("client_secret",
                "secret-r", "email", email, "send_attempt", 1), null)).get("sid");
        MimeMessage mail = mailTo(email);
        assertThat(mail.getSubject()).containsIgnoringCase("password");

        Map<String, Object> first = Map.of("new_password", "pw-new-1");
        Map<String, Object> challenge = expectUia(post(V3 + "/account/password", first, null));
        assertThat(challenge.get("flows")).isEqualTo(List.of(Map.of("stages", List.of("m.login.email.identity"))));
        Map<String, Object> auth = Map.of("type", "m.login.email.identity", "session", challenge.get("session"),
                "threepid_creds", Map.of("sid", sid, "client_secret", "secret-r"));
        assertThat(expectUia(post(V3 + "/account/password", Map.of("new_password", "pw-new-1", "auth", auth),
                null))).containsEntry("errcode", "M_THREEPID_AUTH_FAILED");
        assertThat(expectUia(post(V3 + "/account/password", Map.of("new_password", "pw-new-1", "auth", Map.of(
                "type", "m.login.email.identity", "session", challenge.get("session"))), null)))
                .containsEntry("errcode", "M_MISSING_PARAM");
        openLink(mail).expectStatus().isOk().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        ok(post(V3 + "/account/password", Map.of("new_password", "pw-new-1", "auth", auth), null));

        accounts.login(name, "pw-new-1", false);
        expectError(post(V3 + "/login", Map.of("type", "m.login.password", "password", "pw-old-1",
                "identifier", Map.of("type", "m.id.user", "user", name)), null), 403, "M_FORBIDDEN");
        expectError(get(V3 + "/account/whoami", dave.accessToken()), 401, "M_UNKNOWN_TOKEN");
    }

    @Test
    void requestTokenShouldRefuseBadInput() {
        String path = V3 + "/account/3pid/email/requestToken";
        expectError(post(path, Map.of("email", "x@example.org", "send_attempt", 1), null), 400, "M_MISSING_PARAM");
        expectError(post(path, Map.of("client_secret", "s", "send_attempt", 1), null), 400, "M_MISSING_PARAM");
        expectError(post(path, Map.of("client_secret", "s", "email", "x@example.org"), null), 400,
                "M_MISSING_PARAM");
        expectError(post(path, Map.of("client_secret", "s", "email", "not an address", "send_attempt", 1), null),
                400, "M_INVALID_PARAM");
        expectError(post(path, Map.of("client_secret", "bad secret!", "email", "x@example.org", "send_attempt", 1),
                null), 400, "M_INVALID_PARAM");
        expectError(post(path, Map.of("client_secret", "s", "email", "x@example.org", "send_attempt", "one"), null),
                400, "M_BAD_JSON");
        expectError(post(path, Map.of("client_secret", "s", "email", "x@example.org", "send_attempt", 1,
                "next_link", "javascript:alert(1)"), null), 400, "M_INVALID_PARAM");
        expectError(post(V3 + "/account/3pid/msisdn/requestToken", Map.of("client_secret", "s", "country", "GB",
                "phone_number", "07700900000", "send_attempt", 1), null), 400, "M_THREEPID_MEDIUM_NOT_SUPPORTED");
        http.get().uri("/_synapse/client/email/submit_token?sid=a&client_secret=b&token=c").exchange()
                .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        expectError(post("/_synapse/client/email/submit_token", Map.of("sid", "a", "client_secret", "b"), null), 400,
                "M_MISSING_PARAM");
    }

    @Test
    void requestTokenShouldBeRateLimitedPerAddress() {
        String email = unique("spammed") + "@example.org";
        for (int i = 1; i <= 3; i++) {
            ok(post(V3 + "/account/3pid/email/requestToken", Map.of("client_secret", "spam" + i, "email", email,
                    "send_attempt", 1), null));
        }
        Map<String, Object> limited = expectError(post(V3 + "/account/3pid/email/requestToken",
                Map.of("client_secret", "spam4", "email", email, "send_attempt", 1), null), 429, "M_LIMIT_EXCEEDED");
        assertThat(limited).containsKey("retry_after_ms");
    }

    /** Adds {@code email} to the account the whole way (mail, link, UIA) and returns the validation sid. */
    private String addAddress(Session s, String password, String email, String secret) throws Exception {
        String sid = (String) ok(post(V3 + "/account/3pid/email/requestToken", Map.of("client_secret", secret,
                "email", email, "send_attempt", 1), null)).get("sid");
        openLink(mailTo(email)).expectStatus().isOk();
        Map<String, Object> body = Map.of("sid", sid, "client_secret", secret);
        Map<String, Object> challenge = expectUia(post(V3 + "/account/3pid/add", body, s.accessToken()));
        ok(post(V3 + "/account/3pid/add", withAuth(body, s, password, challenge), s.accessToken()));
        return sid;
    }

    private static Map<String, Object> withAuth(Map<String, Object> body, Session s, String password,
            Map<String, Object> challenge) {
        Map<String, Object> withAuth = new java.util.HashMap<>(body);
        withAuth.put("auth", Map.of("type", "m.login.password", "password", password,
                "session", challenge.get("session"), "identifier", Map.of("type", "m.id.user", "user", s.userId())));
        return withAuth;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> threepids(String accessToken) {
        return (List<Map<String, Object>>) ok(get(V3 + "/account/3pid", accessToken)).get("threepids");
    }

    /** Follows the mail's link as a browser would: against this server, whatever its public base URL says. */
    private WebTestClient.ResponseSpec openLink(MimeMessage mail) throws Exception {
        Matcher m = LINK.matcher(GreenMailUtil.getBody(mail));
        assertThat(m.find()).as("a validation link in the mail").isTrue();
        URI link = URI.create(m.group());
        return http.get().uri(URI.create("http://127.0.0.1:" + port + link.getRawPath() + "?" + link.getRawQuery()))
                .exchange();
    }

    private static String code(MimeMessage mail) {
        Matcher m = CODE.matcher(GreenMailUtil.getBody(mail));
        assertThat(m.find()).as("a code in the mail").isTrue();
        return m.group(1);
    }

    /** The first mail to {@code address} not read yet, waiting until the SMTP server has it. */
    private MimeMessage mailTo(String address) throws InterruptedException {
        awaitCondition(() -> unread(address) != null, "a mail to " + address);
        MimeMessage mail = unread(address);
        readMails.add(id(mail));
        return mail;
    }

    private long mailsTo(String address) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> to(m, address)).count();
    }

    private MimeMessage unread(String address) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> to(m, address) && !readMails.contains(id(m)))
                .findFirst().orElse(null);
    }

    private static boolean to(MimeMessage m, String address) {
        try {
            return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                    .anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
