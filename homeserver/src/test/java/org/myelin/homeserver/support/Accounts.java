package org.myelin.homeserver.support;

import java.util.Map;

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

    Accounts(WebTestClient http) {
        this.http = http;
    }

    /** Registers {@code username} through the two-step UIA flow (m.login.dummy) and returns the new session. */
    public Session register(String username, String password) {
        Map<?, ?> challenge = http.post().uri("/_matrix/client/v3/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isUnauthorized().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> body = http.post().uri("/_matrix/client/v3/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password,
                        "auth", Map.of("type", "m.login.dummy", "session", challenge.get("session"))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return session(body);
    }

    /** Logs in with a password; {@code refresh} asks for a refresh token. */
    public Session login(String username, String password, boolean refresh) {
        Map<?, ?> body = http.post().uri("/_matrix/client/v3/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("type", "m.login.password", "password", password, "refresh_token", refresh,
                        "identifier", Map.of("type", "m.id.user", "user", username)))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return session(body);
    }

    private static Session session(Map<?, ?> body) {
        return new Session((String) body.get("user_id"), (String) body.get("access_token"),
                (String) body.get("device_id"), (String) body.get("refresh_token"));
    }
}
