package org.myelin.homeserver.media;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** A pending ID whose upload does not come before unused_expires_at is gone: 404 to its upload and downloads. */
@TestPropertySource(properties = "myelin.media.pending-expiry=1ms")
class PendingUploadExpiryIT extends HomeserverIT {

    @Test
    void anExpiredIdShouldBeGone() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String mxc = (String) ok(post("/_matrix/media/v1/create", Map.of(), alice.accessToken())).get("content_uri");
        Thread.sleep(5);
        expectError(http.put().uri("/_matrix/media/v3/upload/" + MediaClient.path(mxc))
                .header("Authorization", alice.bearer()).header("Content-Type", "text/plain")
                .bodyValue(new byte[] {1}).exchange(), 404, "M_NOT_FOUND");
        expectError(get(MediaClient.DOWNLOAD + MediaClient.path(mxc), alice.accessToken()), 404, "M_NOT_FOUND");
    }
}
