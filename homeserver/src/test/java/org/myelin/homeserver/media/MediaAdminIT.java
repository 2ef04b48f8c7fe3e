package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Value;

/**
 * Synapse's media admin API: deleting a user's media (blobs shared with other users' media stay), quarantining
 * the media a room's events point at; admins only.
 */
class MediaAdminIT extends HomeserverIT {

    @Value("${myelin.data-dir}")
    private Path dataDir;

    private MediaClient media;
    private Session admin;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        media = new MediaClient(http);
        admin = accounts.registerBySharedSecret(unique("admin"), "pw-admin-1", true);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void deletingAUsersMediaShouldRemoveItButKeepSharedBlobs() throws Exception {
        byte[] shared = ("shared " + unique("s")).getBytes();
        String mine = media.uploaded(alice, "text/plain", null, ("only alice " + unique("a")).getBytes());
        String alicesCopy = media.uploaded(alice, "text/plain", null, shared);
        String bobsCopy = media.uploaded(bob, "text/plain", null, shared);
        String thumbnailed = media.uploaded(alice, "image/png", null, TestImages.png(400, 400));
        media.get(MediaClient.THUMBNAIL + MediaClient.path(thumbnailed) + "?width=32&height=32&method=crop", bob)
                .expectStatus().isOk();
        long blobsBefore = blobCount();

        Map<String, Object> deleted = ok(http.delete().uri("/_synapse/admin/v1/users/" + alice.userId() + "/media")
                .header("Authorization", admin.bearer()).exchange());
        assertThat(deleted).containsEntry("total", 3);
        assertThat((List<?>) deleted.get("deleted_media")).hasSize(3);

        for (String gone : List.of(mine, alicesCopy, thumbnailed)) {
            expectError(get(MediaClient.DOWNLOAD + MediaClient.path(gone), bob.accessToken()), 404, "M_NOT_FOUND");
        }
        assertThat(media.download(bobsCopy, bob).getResponseBody()).isEqualTo(shared);
        assertThat(blobCount()).as("alice's own blob, the image and its thumbnail gone").isEqualTo(blobsBefore - 3);
    }

    @Test
    void quarantiningARoomsMediaShouldMakeItUnavailable() {
        String image = media.uploaded(alice, "image/png", null, TestImages.png(50, 50));
        String other = media.uploaded(alice, "image/png", null, TestImages.png(60, 60));
        String roomId = (String) ok(post("/_matrix/client/v3/createRoom", Map.of(), alice.accessToken()))
                .get("room_id");
        ok(http.put().uri("/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/t1")
                .header("Authorization", alice.bearer())
                .bodyValue(Map.of("msgtype", "m.image", "body", "cat.png", "url", image)).exchange());

        expectError(post("/_synapse/admin/v1/room/" + roomId + "/media/quarantine", Map.of(), alice.accessToken()),
                403, "M_FORBIDDEN");
        assertThat(ok(post("/_synapse/admin/v1/room/" + roomId + "/media/quarantine", Map.of(),
                admin.accessToken()))).containsEntry("num_quarantined", 1);
        expectError(get(MediaClient.DOWNLOAD + MediaClient.path(image), alice.accessToken()), 404, "M_NOT_FOUND");
        media.download(other, alice);
    }

    @Test
    void nonAdminsAndRemoteUsersShouldBeRefused() {
        expectError(http.delete().uri("/_synapse/admin/v1/users/" + bob.userId() + "/media")
                .header("Authorization", alice.bearer()).exchange(), 403, "M_FORBIDDEN");
        expectError(http.delete().uri("/_synapse/admin/v1/users/@someone:other.example/media")
                .header("Authorization", admin.bearer()).exchange(), 400, "M_INVALID_PARAM");
        expectError(http.delete().uri("/_synapse/admin/v1/users/notauser/media")
                .header("Authorization", admin.bearer()).exchange(), 400, "M_INVALID_PARAM");
    }

    private long blobCount() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("media/content"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
