package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Uploads and authenticated downloads: the bytes come back as sent, with headers that keep a browser from running
 * them; ranges; the upload size limit (above the JSON limit) by Content-Length and chunked; identical content
 * stored once; unknown media, and media of a server that cannot be reached; URL previews off by default.
 */
@TestPropertySource(properties = "myelin.media.max-upload-bytes=2097152")
class MediaUploadDownloadIT extends HomeserverIT {

    @Value("${myelin.data-dir}")
    private Path dataDir;

    private MediaClient media;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        media = new MediaClient(http);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void uploadedBytesShouldDownloadForAnotherUserWithSafeHeaders() {
        byte[] body = "hello, media".getBytes(StandardCharsets.UTF_8);
        String mxc = media.uploaded(alice, "text/plain", "hello.txt", body);
        assertThat(mxc).startsWith("mxc://test.local/");

        EntityExchangeResult<byte[]> result = media.download(mxc, bob);
        assertThat(result.getResponseBody()).isEqualTo(body);
        HttpHeaders h = result.getResponseHeaders();
        assertThat(h.getFirst("Content-Type")).isEqualTo("text/plain");
        assertThat(h.getFirst("Content-Disposition")).isEqualTo("inline; filename=\"hello.txt\"");
        assertThat(h.getFirst("Content-Security-Policy")).startsWith("sandbox; default-src 'none'; script-src 'none';");
        assertThat(h.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(h.getFirst("Cross-Origin-Resource-Policy")).isEqualTo("cross-origin");
        assertThat(h.getFirst("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(h.getContentLength()).isEqualTo(body.length);
    }

    @Test
    void htmlShouldBeServedAsAnAttachmentInASandbox() {
        byte[] page = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
        String mxc = media.uploaded(alice, "text/html", "page.html", page);
        HttpHeaders h = media.download(mxc, bob).getResponseHeaders();
        assertThat(h.getFirst("Content-Type")).isEqualTo("text/html");
        assertThat(h.getFirst("Content-Disposition")).isEqualTo("attachment; filename=\"page.html\"");
        assertThat(h.getFirst("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'; script-src 'none'; "
                + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';");
        assertThat(h.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void fileNamesShouldBeEncodedAndOverridable() {
        String mxc = media.uploaded(alice, "image/png", "Grüße \"x\".png", new byte[] {1, 2, 3});
        assertThat(media.download(mxc, bob).getResponseHeaders().getFirst("Content-Disposition"))
                .isEqualTo("inline; filename*=utf-8''Gr%C3%BC%C3%9Fe%20%22x%22.png");
        HttpHeaders renamed = media.get(MediaClient.DOWNLOAD + MediaClient.path(mxc) + "/other.png", bob)
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseHeaders();
        assertThat(renamed.getFirst("Content-Disposition")).isEqualTo("inline; filename=\"other.png\"");
        String unnamed = media.uploaded(alice, null, null, new byte[] {4});
        HttpHeaders plain = media.download(unnamed, bob).getResponseHeaders();
        assertThat(plain.getFirst("Content-Disposition")).isEqualTo("attachment");
        assertThat(plain.getFirst("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void rangesShouldBeAnswered206And416() {
        byte[] body = new byte[1000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        String mxc = media.uploaded(alice, "application/octet-stream", null, body);
        String uri = MediaClient.DOWNLOAD + MediaClient.path(mxc);
        EntityExchangeResult<byte[]> part = http.get().uri(uri).header("Authorization", bob.bearer())
                .header("Range", "bytes=100-199").exchange().expectStatus().isEqualTo(206)
                .expectBody(byte[].class).returnResult();
        assertThat(part.getResponseBody()).isEqualTo(Arrays.copyOfRange(body, 100, 200));
        assertThat(part.getResponseHeaders().getFirst("Content-Range")).isEqualTo("bytes 100-199/1000");
        EntityExchangeResult<byte[]> tail = http.get().uri(uri).header("Authorization", bob.bearer())
                .header("Range", "bytes=-10").exchange().expectStatus().isEqualTo(206)
                .expectBody(byte[].class).returnResult();
        assertThat(tail.getResponseBody()).isEqualTo(Arrays.copyOfRange(body, 990, 1000));
        Map<String, Object> error = expectError(http.get().uri(uri).header("Authorization", bob.bearer())
                .header("Range", "bytes=1000-").exchange(), 416, "M_INVALID_PARAM");
        assertThat(error).containsKey("error");
    }

    @Test
    void uploadsAboveTheJsonLimitShouldWorkUpToTheMediaLimit() {
        byte[] body = new byte[1_500_000];
        Arrays.fill(body, (byte) 7);
        String mxc = media.uploaded(alice, "application/octet-stream", null, body);
        assertThat(media.download(mxc, bob).getResponseBody()).isEqualTo(body);
    }

    @Test
    void uploadsAboveTheMediaLimitShouldBe413() throws Exception {
        byte[] body = new byte[2097153];
        expectError(media.upload(alice, "application/octet-stream", null, body), 413, "M_TOO_LARGE");
        String chunked = rawUpload("Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n",
                chunked(body));
        assertThat(chunked).startsWith("HTTP/1.1 413").contains("\"errcode\":\"M_TOO_LARGE\"");
        assertThat(ok(get("/_matrix/client/v1/media/config", alice.accessToken())))
                .containsEntry("m.upload.size", 2097152);
        assertThat(ok(get("/_matrix/media/v3/config", alice.accessToken())))
                .containsEntry("m.upload.size", 2097152);
    }

    @Test
    void identicalContentShouldBeStoredOnce() throws Exception {
        byte[] body = ("the same bytes " + unique("x")).getBytes(StandardCharsets.UTF_8);
        String first = media.uploaded(alice, "text/plain", "a.txt", body);
        String second = media.uploaded(bob, "text/plain", "b.txt", body);
        assertThat(first).isNotEqualTo(second);
        assertThat(media.download(second, alice).getResponseBody()).isEqualTo(body);
        String sha = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(body));
        try (Stream<Path> files = Files.walk(dataDir.resolve("media/content"))) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().equals(sha)))
                    .hasSize(1);
        }
    }

    @Test
    void unknownAndMalformedMediaShouldBe404() {
        expectError(get(MediaClient.DOWNLOAD + "test.local/doesNotExist123", bob.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(MediaClient.DOWNLOAD + "test.local/bad.id", bob.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(MediaClient.DOWNLOAD + "bad_server/abcdef", bob.accessToken()), 404, "M_NOT_FOUND");
    }

    /** A remote server that cannot be reached (here: loopback, which the outbound guard refuses) is 502. */
    @Test
    void mediaOfAnUnreachableServerShouldBe502() {
        expectError(get(MediaClient.DOWNLOAD + "127.0.0.1:1/abcdef", bob.accessToken()), 502, "M_UNKNOWN");
        expectError(get(MediaClient.THUMBNAIL + "127.0.0.1:1/abcdef?width=32&height=32", bob.accessToken()),
                502, "M_UNKNOWN");
    }

    /** URL previews are off unless MYELIN_URL_PREVIEWS turns them on: their paths are unknown, as on Synapse. */
    @Test
    void urlPreviewsShouldBeOffByDefault() {
        for (String path : new String[] {"/_matrix/client/v1/media/preview_url", "/_matrix/media/v3/preview_url"}) {
            expectError(get(path + "?url=https%3A%2F%2Fmatrix.org", bob.accessToken()), 404, "M_UNRECOGNIZED");
        }
    }

    @Test
    void everyMediaEndpointShouldRequireAToken() {
        String mxc = media.uploaded(alice, "text/plain", null, new byte[] {1});
        expectError(media.upload(null, "text/plain", null, new byte[] {1}), 401, "M_MISSING_TOKEN");
        expectError(http.post().uri("/_matrix/media/v1/create").exchange(), 401, "M_MISSING_TOKEN");
        expectError(http.put().uri("/_matrix/media/v3/upload/" + MediaClient.path(mxc)).bodyValue(new byte[] {1})
                .exchange(), 401, "M_MISSING_TOKEN");
        expectError(get("/_matrix/client/v1/media/config", null), 401, "M_MISSING_TOKEN");
        expectError(get(MediaClient.DOWNLOAD + MediaClient.path(mxc), null), 401, "M_MISSING_TOKEN");
        expectError(get(MediaClient.THUMBNAIL + MediaClient.path(mxc) + "?width=32&height=32", null), 401,
                "M_MISSING_TOKEN");
    }

    @Test
    void unauthenticatedDownloadsShouldBeFrozenForNewMedia() {
        String mxc = media.uploaded(alice, "image/png", null, new byte[] {1});
        expectError(get("/_matrix/media/v3/download/" + MediaClient.path(mxc), null), 404, "M_NOT_FOUND");
        expectError(get("/_matrix/media/v3/thumbnail/" + MediaClient.path(mxc) + "?width=32&height=32", null),
                404, "M_NOT_FOUND");
    }

    @Test
    void badUploadParametersShouldBe400() throws Exception {
        assertThat(rawUpload("Content-Type: not a type\r\nContent-Length: 1\r\n", new byte[] {1}))
                .startsWith("HTTP/1.1 400").contains("\"errcode\":\"M_INVALID_PARAM\"");
        expectError(media.upload(alice, "text/plain", "a\u0001b", new byte[] {1}), 400, "M_INVALID_PARAM");
        expectError(media.upload(alice, "text/plain", "x".repeat(256), new byte[] {1}), 400, "M_INVALID_PARAM");
    }

    @Test
    void corsPreflightOfADownloadShouldBeAllowed() {
        http.options().uri(MediaClient.DOWNLOAD + "test.local/abc").header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "Authorization").exchange()
                .expectStatus().isNoContent().expectHeader().valueEquals("Access-Control-Allow-Origin", "*")
                .expectHeader().valueMatches("Access-Control-Allow-Headers", ".*Authorization.*");
    }

    /** A POST /upload sent by hand (headers a client library would refuse to send); the raw answer. */
    private String rawUpload(String headers, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: test.local\r\nConnection: close\r\n"
                    + "Authorization: " + alice.bearer() + "\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                for (int offset = 0; offset < body.length; offset += 65536) {
                    out.write(body, offset, Math.min(65536, body.length - offset));
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may answer and close before the whole body is sent; its answer is still readable
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] chunked(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 65536) {
            int length = Math.min(65536, body.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
