package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Thumbnails of PNG, JPEG, GIF and WebP: the spec's sizes, crop and scale, on-demand sizes, never upscaled,
 * stored once made; animated GIFs when asked for; bad parameters, non-images and decompression bombs refused.
 */
class ThumbnailIT extends HomeserverIT {

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
    void cropShouldFillTheSmallestStandardBoxAtLeastAsLarge() {
        String mxc = media.uploaded(alice, "image/png", "big.png", TestImages.png(1000, 800));
        EntityExchangeResult<byte[]> thumb = thumbnail(mxc, "width=64&height=64&method=crop");
        assertThat(thumb.getResponseHeaders().getFirst("Content-Type")).isEqualTo("image/png");
        assertThat(thumb.getResponseHeaders().getFirst("Content-Disposition"))
                .isEqualTo("inline; filename=\"thumbnail.png\"");
        assertThat(thumb.getResponseHeaders().getFirst("Content-Security-Policy")).startsWith("sandbox;");
        BufferedImage image = TestImages.read(thumb.getResponseBody());
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(96);
        assertThat(thumbnail(mxc, "width=64&height=64&method=crop").getResponseBody())
                .isEqualTo(thumb.getResponseBody());
    }

    @Test
    void scaleShouldKeepTheAspectRatioWithinTheBox() {
        String mxc = media.uploaded(alice, "image/jpeg", null, TestImages.jpeg(1600, 1200));
        EntityExchangeResult<byte[]> thumb = thumbnail(mxc, "width=300&height=200&method=scale");
        assertThat(thumb.getResponseHeaders().getFirst("Content-Type")).isEqualTo("image/jpeg");
        BufferedImage image = TestImages.read(thumb.getResponseBody());
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getHeight()).isEqualTo(240);
        BufferedImage onDemand = TestImages.read(thumbnail(mxc, "width=1000&height=1000").getResponseBody());
        assertThat(onDemand.getWidth()).isEqualTo(1000);
        assertThat(onDemand.getHeight()).isEqualTo(750);
    }

    @Test
    void aSmallImageShouldBeItsOwnThumbnail() {
        byte[] small = TestImages.png(20, 10);
        String mxc = media.uploaded(alice, "image/png", null, small);
        assertThat(thumbnail(mxc, "width=32&height=32&method=crop").getResponseBody()).isEqualTo(small);
        assertThat(thumbnail(mxc, "width=800&height=600").getResponseBody()).isEqualTo(small);
    }

    @Test
    void gifShouldThumbnailStillUnlessAnimationIsAskedFor() {
        byte[] animated = TestImages.gif(200, 200, 3);
        String mxc = media.uploaded(alice, "image/gif", null, animated);
        EntityExchangeResult<byte[]> still = thumbnail(mxc, "width=96&height=96&method=crop");
        assertThat(still.getResponseHeaders().getFirst("Content-Type")).isEqualTo("image/png");
        assertThat(TestImages.read(still.getResponseBody()).getWidth()).isEqualTo(96);
        EntityExchangeResult<byte[]> moving = thumbnail(mxc, "width=96&height=96&method=crop&animated=true");
        assertThat(moving.getResponseHeaders().getFirst("Content-Type")).isEqualTo("image/gif");
        assertThat(moving.getResponseBody()).isEqualTo(animated);
        String stillGif = media.uploaded(alice, "image/gif", null, TestImages.gif(200, 200, 1));
        assertThat(thumbnail(stillGif, "width=96&height=96&method=crop&animated=true").getResponseHeaders()
                .getFirst("Content-Type")).isEqualTo("image/png");
    }

    @Test
    void webpShouldDecode() {
        String mxc = media.uploaded(alice, "image/webp", null, TestImages.WEBP_LOSSLESS);
        EntityExchangeResult<byte[]> thumb = thumbnail(mxc, "width=32&height=32&method=crop");
        assertThat(thumb.getResponseHeaders().getFirst("Content-Type")).isEqualTo("image/png");
        assertThat(TestImages.read(thumb.getResponseBody()).getWidth()).isEqualTo(1);
    }

    @Test
    void aDecompressionBombShouldBeRefusedBeforeDecoding() {
        byte[] bomb = TestImages.pngBomb(60_000);
        assertThat(bomb.length).isLessThan(2 * 1024 * 1024);
        String mxc = media.uploaded(alice, "image/png", "bomb.png", bomb);
        Runtime runtime = Runtime.getRuntime();
        long usedBefore = runtime.totalMemory() - runtime.freeMemory();
        var error = expectError(get(MediaClient.THUMBNAIL + MediaClient.path(mxc) + "?width=96&height=96",
                bob.accessToken()), 413, "M_TOO_LARGE");
        assertThat((String) error.get("error")).contains("too large to thumbnail");
        long usedAfter = runtime.totalMemory() - runtime.freeMemory();
        assertThat(usedAfter - usedBefore).as("heap grown by the refused bomb").isLessThan(400L * 1024 * 1024);
        assertThat(media.download(mxc, bob).getResponseBody()).isEqualTo(bomb);
    }

    @Test
    void badParametersAndNonImagesShouldBe400() {
        String mxc = media.uploaded(alice, "image/png", null, TestImages.png(100, 100));
        String uri = MediaClient.THUMBNAIL + MediaClient.path(mxc);
        expectError(get(uri + "?width=0&height=32", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(uri + "?width=-5&height=32", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(uri + "?width=abc&height=32", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(uri + "?width=99999999999&height=32", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(uri + "?height=32", bob.accessToken()), 400, "M_MISSING_PARAM");
        expectError(get(uri + "?width=32&height=32&method=stretch", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(uri + "?width=32&height=32&animated=maybe", bob.accessToken()), 400, "M_INVALID_PARAM");
        String text = media.uploaded(alice, "text/plain", null, "not an image".getBytes());
        expectError(get(MediaClient.THUMBNAIL + MediaClient.path(text) + "?width=32&height=32", bob.accessToken()),
                400, "M_UNKNOWN");
        String fake = media.uploaded(alice, "image/png", null, "<html>not a png</html>".getBytes());
        expectError(get(MediaClient.THUMBNAIL + MediaClient.path(fake) + "?width=32&height=32", bob.accessToken()),
                400, "M_UNKNOWN");
    }

    private EntityExchangeResult<byte[]> thumbnail(String mxc, String query) {
        return media.get(MediaClient.THUMBNAIL + MediaClient.path(mxc) + "?" + query, bob).expectStatus().isOk()
                .expectBody(byte[].class).returnResult();
    }
}
