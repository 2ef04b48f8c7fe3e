package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.db.media.MediaRow;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.myelin.media.MediaService;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Media across two real servers over TLS: a user of B downloads (and thumbnails) what a user of A uploaded through
 * B's client API, B fetching it over A's signed federation media endpoints once and serving it from its own store
 * afterwards (proved by deleting it on A). Unknown, oversized and unsigned requests get the spec's errors.
 */
@RequiresPostgres
class FederationMediaIT {

    private static final String DOWNLOAD = "/_matrix/client/v1/media/download/";
    private static final String THUMBNAIL = "/_matrix/client/v1/media/thumbnail/";
    /** B accepts remote media up to this size (its upload limit). */
    private static final int B_LIMIT = 100_000;

    private static FederatedServers servers;
    private static ServerName a;
    private static Session alice;
    private static Session bob;

    @BeforeAll
    static void startServers() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"),
                List.of(List.of(), List.of("--myelin.media.max-upload-bytes=" + B_LIMIT)));
        a = ServerName.parse(servers.get(0).name());
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        bob = servers.get(1).accounts().register("bob", "a long password for bob");
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aRemoteUploadIsFetchedOnceAndThenServedFromTheCache() {
        byte[] content = randomBytes(40_000);
        String mxc = upload(alice, "application/pdf", "report.pdf", content);

        EntityExchangeResult<byte[]> first = get(1, DOWNLOAD + path(mxc), bob).expectStatus().isOk()
                .expectBody(byte[].class).returnResult();
        assertThat(first.getResponseBody()).isEqualTo(content);
        assertThat(first.getResponseHeaders().getContentType().toString()).isEqualTo("application/pdf");
        assertThat(first.getResponseHeaders().getFirst("Content-Disposition"))
                .isEqualTo("attachment; filename=\"report.pdf\"");
        MediaKey key = key(mxc);
        MediaRow cached = servers.get(1).bean(MediaRepository.class).find(key).block(Duration.ofSeconds(10));
        assertThat(cached.serverName()).isEqualTo(a.value());
        assertThat(cached.sizeBytes()).isEqualTo(content.length);

        assertThat(servers.get(0).bean(MediaService.class).delete(key).block(Duration.ofSeconds(10))).isTrue();
        get(0, DOWNLOAD + path(mxc), alice).expectStatus().isNotFound();

        byte[] again = get(1, DOWNLOAD + path(mxc) + "/renamed.pdf", bob).expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(again).isEqualTo(content);
    }

    @Test
    void aRemoteThumbnailIsAskedOfTheOriginAndCached() throws IOException {
        String mxc = upload(alice, "image/png", null, png(400, 300));

        byte[] thumbnail = get(1, THUMBNAIL + path(mxc) + "?width=96&height=96&method=crop", bob)
                .expectStatus().isOk().expectHeader().contentType("image/png")
                .expectBody(byte[].class).returnResult().getResponseBody();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail));
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(96);
        MediaKey key = key(mxc);
        assertThat(servers.get(1).bean(MediaRepository.class).thumbnails(key).block(Duration.ofSeconds(10)))
                .singleElement().satisfies(t -> assertThat(t.method()).isEqualTo("crop"));

        servers.get(0).bean(MediaService.class).delete(key).block(Duration.ofSeconds(10));
        byte[] again = get(1, THUMBNAIL + path(mxc) + "?width=90&height=90&method=crop", bob)
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(again).isEqualTo(thumbnail);
        // The full media was never fetched; it is gone from the origin now.
        expectError(get(1, DOWNLOAD + path(mxc), bob), 404, "M_NOT_FOUND");
    }

    @Test
    void unknownRemoteMediaIs404() {
        expectError(get(1, DOWNLOAD + a + "/doesNotExist", bob), 404, "M_NOT_FOUND");
        expectError(get(1, THUMBNAIL + a + "/doesNotExist?width=32&height=32", bob), 404, "M_NOT_FOUND");
    }

    @Test
    void remoteMediaLargerThanTheUploadLimitIs502TooLarge() {
        String mxc = upload(alice, "application/octet-stream", null, randomBytes(B_LIMIT + 1));

        expectError(get(1, DOWNLOAD + path(mxc), bob), 502, "M_TOO_LARGE");
    }

    @Test
    void theDeprecatedUnauthenticatedEndpointsDoNotServeRemoteMedia() {
        String mxc = upload(alice, "text/plain", null, "hello".getBytes(StandardCharsets.UTF_8));

        expectError(get(1, "/_matrix/media/v3/download/" + path(mxc), null), 404, "M_NOT_FOUND");
    }

    @Test
    void theFederationAnswerIsMultipartWithJsonMetadataAndTheMedia() {
        byte[] content = "some text".getBytes(StandardCharsets.UTF_8);
        String mxc = upload(alice, "text/plain", "note.txt", content);

        FederationClient.BinaryAnswer answer = servers.get(1).bean(FederationClient.class)
                .getBinary(a, "/_matrix/federation/v1/media/download/" + key(mxc).mediaId(), 1 << 20)
                .block(Duration.ofSeconds(30));

        String type = answer.headers().get("Content-Type");
        assertThat(type).startsWith("multipart/mixed; boundary=");
        String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("--" + boundary
                + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + boundary
                + "\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename=\"note.txt\"\r\n\r\n"
                + "some text\r\n--" + boundary + "--\r\n");
    }

    @Test
    void anUnsignedFederationMediaRequestIs401() {
        for (String path : List.of("/_matrix/federation/v1/media/download/abc",
                "/_matrix/federation/v1/media/thumbnail/abc?width=32&height=32")) {
            assertThatThrownBy(() -> servers.get(1).bean(FederationClient.class).getUnsigned(a, path)
                    .block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.errcode()).hasValue("M_UNAUTHORIZED");
                    });
        }
    }

    @Test
    void badThumbnailParametersOverFederationAre400() throws IOException {
        String mxc = upload(alice, "image/png", null, png(10, 10));
        FederationClient b = servers.get(1).bean(FederationClient.class);
        String path = "/_matrix/federation/v1/media/thumbnail/" + key(mxc).mediaId();
        for (String query : List.of("?height=32", "?width=0&height=32", "?width=32&height=32&method=zoom")) {
            assertThatThrownBy(() -> b.get(a, path + query).block(Duration.ofSeconds(30)))
                    .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errcode().orElseThrow()).isIn("M_MISSING_PARAM", "M_INVALID_PARAM");
                    });
        }
    }

    private static String upload(Session s, String contentType, String fileName, byte[] body) {
        String uri = "/_matrix/media/v3/upload" + (fileName == null ? "" : "?filename=" + fileName);
        Map<String, Object> json = MatrixErrors.body(http(0).post().uri(uri).header("Authorization", s.bearer())
                .header("Content-Type", contentType).bodyValue(body).exchange().expectStatus().isOk());
        return (String) json.get("content_uri");
    }

    private static WebTestClient.ResponseSpec get(int server, String uri, Session s) {
        WebTestClient.RequestHeadersSpec<?> spec = http(server).get().uri(uri);
        if (s != null) {
            spec = spec.header("Authorization", s.bearer());
        }
        return spec.exchange();
    }

    private static WebTestClient http(int server) {
        return servers.get(server).http().mutate()
                .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build();
    }

    private static void expectError(WebTestClient.ResponseSpec response, int status, String errcode) {
        Map<String, Object> body = MatrixErrors.body(response.expectStatus().isEqualTo(status));
        assertThat(body.get("errcode")).isEqualTo(errcode);
        MatrixErrors.assertNoInternals(body);
    }

    private static String path(String mxc) {
        return mxc.substring("mxc://".length());
    }

    private static MediaKey key(String mxc) {
        String path = path(mxc);
        int slash = path.lastIndexOf('/');
        return new MediaKey(path.substring(0, slash), path.substring(slash + 1));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
