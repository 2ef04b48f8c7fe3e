package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/**
 * A per-user upload quota (403 M_FORBIDDEN past it), and unauthenticated downloads left unfrozen: media uploaded
 * then is still served by the deprecated /_matrix/media/v3 endpoints.
 */
@TestPropertySource(properties = {"myelin.media.user-quota-bytes=100", "myelin.media.freeze-unauthenticated=false"})
class MediaQuotaIT extends HomeserverIT {

    @Test
    void uploadsPastTheQuotaShouldBe403() {
        MediaClient media = new MediaClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        media.uploaded(alice, "text/plain", null, new byte[60]);
        expectError(media.upload(alice, "text/plain", null, new byte[60]), 403, "M_FORBIDDEN");
        media.uploaded(alice, "text/plain", null, new byte[40]);
        expectError(media.upload(alice, "text/plain", null, new byte[1]), 403, "M_FORBIDDEN");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        media.uploaded(bob, "text/plain", null, new byte[100]);
    }

    @Test
    void unfrozenMediaShouldBeServedWithoutAToken() {
        MediaClient media = new MediaClient(http);
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        byte[] png = TestImages.png(10, 10);
        String mxc = media.uploaded(carol, "image/png", "dot.png", png);
        assertThat(media.get("/_matrix/media/v3/download/" + MediaClient.path(mxc), null).expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody()).isEqualTo(png);
        media.get("/_matrix/media/v3/thumbnail/" + MediaClient.path(mxc) + "?width=32&height=32", null)
                .expectStatus().isOk();
    }
}
