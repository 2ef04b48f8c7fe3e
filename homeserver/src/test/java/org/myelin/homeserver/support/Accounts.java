package org.myelin.homeserver.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Registers users and logs in through the real HTTP API, the way a client would. */
public final class Accounts {

    /** A logged-in session. */
    public record Session(String userId, String accessToken, String deviceId, String refreshToken) {

        public String bearer() {
            return "Bearer " + accessToken;
        }
    }

    private final WebTestClient http;

    public Accounts(WebTestClient http) {
        this.http = http;
    }

    /** Registers {@code username} through the two-step UIA flow (m.login.dummy) and returns the new session. */
    public Session register(String username, String password) {
        return session(registerWith(Map.of("username", username, "password", password)));
    }

    /**
     * Registers through the two-step UIA flow (m.login.dummy) with {@code fields} as the request body and
     * returns the final response body.
     */
    public Map<String, Object> registerWith(Map<String, Object> fields) {
        Map<String, Object> challenge = MatrixErrors.body(postJson("/_matrix/client/v3/register", fields)
                .expectStatus().isUnauthorized());
        Map<String, Object> second = new LinkedHashMap<>(fields);
        second.put("auth", Map.of("type", "m.login.dummy", "session", challenge.get("session")));
        return MatrixErrors.body(postJson("/_matrix/client/v3/register", second).expectStatus().isOk());
    }

    /** Logs in with a password; {@code refresh} asks for a refresh token. */
    public Session login(String username, String password, boolean refresh) {
        Map<String, Object> body = MatrixErrors.body(postJson("/_matrix/client/v3/login",
                Map.of("type", "m.login.password", "password", password, "refresh_token", refresh,
                        "identifier", Map.of("type", "m.id.user", "user", username)))
                .expectStatus().isOk());
        return session(body);
    }

    /** Creates an account through shared-secret registration (Synapse's admin API) and returns its session. */
    public Session registerBySharedSecret(String username, String password, boolean admin) {
        String nonce = (String) MatrixErrors.body(http.get().uri("/_synapse/admin/v1/register").exchange()
                .expectStatus().isOk()).get("nonce");
        Map<String, Object> body = MatrixErrors.body(postJson("/_synapse/admin/v1/register", Map.of(
                "nonce", nonce, "username", username, "password", password, "admin", admin,
                "mac", sharedSecretMac(HomeserverIT.SHARED_SECRET, nonce, username, password, admin)))
                .expectStatus().isOk());
        return session(body);
    }

    /** hex(HMAC-SHA1(secret, nonce NUL username NUL password NUL "admin"|"notadmin")). */
    public static String sharedSecretMac(String secret, String nonce, String username, String password,
            boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + username + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebTestClient.ResponseSpec postJson(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static Session session(Map<?, ?> body) {
        return new Session((String) body.get("user_id"), (String) body.get("access_token"),
                (String) body.get("device_id"), (String) body.get("refresh_token"));
    }
}
