package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * POST /media/v1/create then PUT /upload/{serverName}/{mediaId}: only the creator, only once; downloads wait for
 * the upload (504 M_NOT_YET_UPLOADED when it does not come in time); a user may hold only so many pending IDs.
 */
@TestPropertySource(properties = "myelin.media.max-pending-per-user=3")
class AsyncUploadIT extends HomeserverIT {

    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void createThenPutShouldServeTheContentOnce() {
        Map<String, Object> created = ok(post("/_matrix/media/v1/create", Map.of(), alice.accessToken()));
        String mxc = (String) created.get("content_uri");
        assertThat(mxc).startsWith("mxc://test.local/");
        assertThat(((Number) created.get("unused_expires_at")).longValue())
                .isGreaterThan(System.currentTimeMillis() + 23 * 3600_000L);

        byte[] body = "later content".getBytes(StandardCharsets.UTF_8);
        assertThat(ok(put(mxc, alice, "text/plain", "late.txt", body))).isEmpty();
        assertThat(new MediaClient(http).download(mxc, bob).getResponseBody()).isEqualTo(body);

        expectError(put(mxc, alice, "text/plain", null, body), 409, "M_CANNOT_OVERWRITE_MEDIA");
    }

    @Test
    void onlyTheCreatorShouldUploadToAnId() {
        String mxc = create(alice);
        expectError(put(mxc, bob, "text/plain", null, new byte[] {1}), 403, "M_FORBIDDEN");
        expectError(put("mxc://test.local/neverCreated", alice, "text/plain", null, new byte[] {1}), 404,
                "M_NOT_FOUND");
        expectError(put("mxc://other.example/abc", alice, "text/plain", null, new byte[] {1}), 404, "M_NOT_FOUND");
    }

    @Test
    void aDownloadShouldWaitForThePendingUpload() throws Exception {
        String mxc = create(alice);
        String uri = MediaClient.DOWNLOAD + MediaClient.path(mxc);
        expectError(get(uri + "?timeout_ms=0", bob.accessToken()), 504, "M_NOT_YET_UPLOADED");
        expectError(get(uri + "?timeout_ms=soon", bob.accessToken()), 400, "M_INVALID_PARAM");

        CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() -> http.get().uri(uri + "?timeout_ms=20000")
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk().expectBody(byte[].class)
                .returnResult().getResponseBody());
        Thread.sleep(300);
        byte[] body = "arrived".getBytes(StandardCharsets.UTF_8);
        ok(put(mxc, alice, "text/plain", null, body));
        assertThat(waiting.get(15, TimeUnit.SECONDS)).isEqualTo(body);
    }

    @Test
    void tooManyPendingIdsShouldBe429() {
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        for (int i = 0; i < 3; i++) {
            create(carol);
        }
        expectError(post("/_matrix/media/v1/create", Map.of(), carol.accessToken()), 429, "M_LIMIT_EXCEEDED");
        ok(put(create(alice), alice, "text/plain", null, new byte[] {1}));
    }

    private String create(Session s) {
        return (String) ok(post("/_matrix/media/v1/create", Map.of(), s.accessToken())).get("content_uri");
    }

    private WebTestClient.ResponseSpec put(String mxc, Session s, String type, String name, byte[] body) {
        String uri = "/_matrix/media/v3/upload/" + MediaClient.path(mxc) + (name == null ? "" : "?filename=" + name);
        return http.put().uri(uri).header("Authorization", s.bearer()).header("Content-Type", type).bodyValue(body)
                .exchange();
    }
}
