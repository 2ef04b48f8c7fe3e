package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.myelin.homeserver.support.Accounts;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Client-API calls expected to succeed on one of the {@link FederatedServers}, and waiting for what crosses. */
final class FederatedJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A condition checked until it holds. */
    interface Check {
        boolean ok() throws Exception;
    }

    private FederatedJson() {
    }

    static JsonNode get(WebTestClient server, Accounts.Session user, String path) {
        String body = server.get().uri(path).header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    static JsonNode post(WebTestClient server, Accounts.Session user, String path, String json) {
        String body = server.post().uri(path).header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** Checks every 100 ms for up to 30 s (what crosses servers is asynchronous). */
    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
