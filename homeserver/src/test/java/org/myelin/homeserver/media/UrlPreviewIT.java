package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * URL previews against a web site on loopback, which this test's outbound guard allows: OpenGraph fields, the
 * title and description standing in, the image stored as an mxc:// media that downloads, an image URL previewed
 * as itself, the per-URL cache, and the size, redirect and parameter errors.
 */
@TestPropertySource(properties = {"myelin.url-previews.enabled=true", "myelin.outbound.allowed-cidrs=127.0.0.0/8",
        "myelin.url-previews.max-bytes=50000"})
class UrlPreviewIT extends HomeserverIT {

    private static final String PREVIEW = "/_matrix/client/v1/media/preview_url?url=";
    private static PreviewSite site;
    private static byte[] logo;
    private Session alice;

    @BeforeAll
    static void startSite() throws IOException {
        logo = TestImages.png(48, 32);
        site = new PreviewSite("127.0.0.1")
                .page("/post", "text/html; charset=utf-8", html("""
                        <html><head><title>Ignored title</title>
                        <meta property="og:title" content="Matrix Blog Post">
                        <meta property="og:description" content="This is a really cool blog post">
                        <meta property="og:image" content="/logo.png">
                        <meta property="og:type" content="article">
                        </head><body><p>Hello</p></body></html>"""))
                .page("/plain", "text/html", html("""
                        <html><head><title> Plain page </title><meta name="description" content="Just text">
                        </head><body></body></html>"""))
                .page("/logo.png", "image/png", logo)
                .page("/counted", "text/html", html("<title>Counted</title>"))
                .page("/big", "text/html", new byte[60_000])
                .page("/file.zip", "application/zip", new byte[10])
                .redirect("/moved", "/plain")
                .redirect("/loop", "/loop");
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    @BeforeEach
    void user() {
        alice = accounts.register(unique("alice"), "pw-alice-1");
    }

    private static byte[] html(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String url(String path) {
        return "http://localhost:" + site.port() + path;
    }

    private WebTestClient.ResponseSpec preview(String url) {
        return http.get().uri(PREVIEW + "{url}", url).header("Authorization", alice.bearer()).exchange();
    }

    @Test
    void openGraphFieldsAreAnsweredWithTheImageStoredAsMedia() {
        Map<String, Object> og = ok(preview(url("/post")));

        assertThat(og).containsEntry("og:title", "Matrix Blog Post")
                .containsEntry("og:description", "This is a really cool blog post")
                .containsEntry("og:type", "article")
                .containsEntry("og:image:type", "image/png")
                .containsEntry("og:image:width", 48).containsEntry("og:image:height", 32)
                .containsEntry("matrix:image:size", logo.length);
        String mxc = (String) og.get("og:image");
        assertThat(mxc).startsWith("mxc://test.local/");
        byte[] image = new MediaClient(http).download(mxc, alice).getResponseBody();
        assertThat(image).isEqualTo(logo);
    }

    @Test
    void theTitleAndDescriptionStandInAndRedirectsAreFollowed() {
        Map<String, Object> og = ok(preview(url("/moved")));

        assertThat(og).isEqualTo(Map.of("og:title", "Plain page", "og:description", "Just text"));
    }

    @Test
    void anImageUrlIsPreviewedAsItsImage() {
        Map<String, Object> og = ok(http.get().uri("/_matrix/media/v3/preview_url?url={url}", url("/logo.png"))
                .header("Authorization", alice.bearer()).exchange());

        assertThat((String) og.get("og:image")).startsWith("mxc://test.local/");
        assertThat(og).containsEntry("matrix:image:size", logo.length).containsEntry("og:image:type", "image/png");
    }

    @Test
    void otherContentIsAnEmptyPreview() {
        assertThat(ok(preview(url("/file.zip")))).isEmpty();
    }

    @Test
    void aPreviewIsCachedPerUrl() {
        Map<String, Object> first = ok(preview(url("/counted")));
        Map<String, Object> second = ok(http.get().uri(PREVIEW + "{url}&ts=1510610716656", url("/counted"))
                .header("Authorization", accounts.register(unique("bob"), "pw-bob-1").bearer()).exchange());

        assertThat(second).isEqualTo(first).containsEntry("og:title", "Counted");
        assertThat(site.hits("/counted")).isEqualTo(1);
    }

    @Test
    void aPageLargerThanTheLimitIs502TooLarge() {
        expectError(preview(url("/big")), 502, "M_TOO_LARGE");
    }

    @Test
    void endlessRedirectsAndMissingPagesAre502() {
        expectError(preview(url("/loop")), 502, "M_UNKNOWN");
        expectError(preview(url("/nothing-here")), 502, "M_UNKNOWN");
    }

    @Test
    void badParametersAre400AndNoTokenIs401() {
        expectError(http.get().uri("/_matrix/client/v1/media/preview_url").header("Authorization", alice.bearer())
                .exchange(), 400, "M_MISSING_PARAM");
        expectError(preview("ftp://localhost/file"), 400, "M_INVALID_PARAM");
        expectError(preview("not a url"), 400, "M_INVALID_PARAM");
        expectError(http.get().uri(PREVIEW + "{url}&ts=yesterday", url("/plain"))
                .header("Authorization", alice.bearer()).exchange(), 400, "M_INVALID_PARAM");
        expectError(http.get().uri(PREVIEW + "{url}", url("/plain")).exchange(), 401, "M_MISSING_TOKEN");
    }
}
