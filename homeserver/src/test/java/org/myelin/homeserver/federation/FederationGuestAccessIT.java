package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.homeserver.support.Accounts;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Guests leave a room that stops admitting them when the m.room.guest_access change comes from another server:
 * alice on A closes her room to guests, and B, where a guest joined it, makes its guest leave on receiving the
 * event, as it does for a change its own clients send.
 */
@RequiresPostgres
class FederationGuestAccessIT {

    private static final String V3 = "/_matrix/client/v3";
    private static FederatedServers servers;
    private static Accounts.Session alice;
    private static Accounts.Session bob;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"),
                List.of(List.of(), List.of("--myelin.guest-access=true")));
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        bob = servers.get(1).accounts().register("bob", "a long password for bob");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static WebTestClient a() {
        return servers.get(0).http();
    }

    private static WebTestClient b() {
        return servers.get(1).http();
    }

    @Test
    void aGuestShouldLeaveWhenARemoteServerClosesTheRoomToGuests() throws InterruptedException {
        String roomId = (String) ok(post(a(), V3 + "/createRoom", alice.accessToken(), Map.of("preset", "public_chat",
                "initial_state", List.of(Map.of("type", "m.room.guest_access", "state_key", "", "content",
                        Map.of("guest_access", "can_join")))))).get("room_id");
        ok(post(b(), V3 + "/join/" + roomId + "?server_name=" + servers.get(0).name(), bob.accessToken(), Map.of()));
        String guest = (String) ok(post(b(), V3 + "/register?kind=guest", null, Map.of())).get("access_token");
        String guestId = (String) ok(b().get().uri(V3 + "/account/whoami").header("Authorization", "Bearer " + guest)
                .exchange()).get("user_id");
        ok(post(b(), V3 + "/rooms/" + roomId + "/join", guest, Map.of()));
        awaitMembership(a(), alice.accessToken(), roomId, guestId, "join");

        ok(a().put().uri(V3 + "/rooms/" + roomId + "/state/m.room.guest_access/")
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("guest_access", "forbidden")).exchange());

        awaitMembership(b(), bob.accessToken(), roomId, guestId, "leave");
        awaitMembership(a(), alice.accessToken(), roomId, guestId, "leave");
        assertThat(membership(b(), bob.accessToken(), roomId, bob.userId())).isEqualTo("join");
        Map<String, Object> refused = MatrixErrors.body(post(b(), V3 + "/rooms/" + roomId + "/join", guest, Map.of())
                .expectStatus().isForbidden());
        assertThat(refused).containsEntry("errcode", "M_GUEST_ACCESS_FORBIDDEN");
    }

    /** Waits (up to 20 s) until {@code user}'s membership in the room, as {@code server} sees it, is {@code want}. */
    private static void awaitMembership(WebTestClient server, String token, String roomId, String user, String want)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!want.equals(membership(server, token, roomId, user))) {
            assertThat(System.nanoTime()).as("waiting for " + user + " to " + want).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** {@code user}'s membership in the room's current state on {@code server}; null while it has none. */
    private static String membership(WebTestClient server, String token, String roomId, String user) {
        Map<?, ?> content = server.get().uri(V3 + "/rooms/{r}/state/m.room.member/{u}", roomId, user)
                .header("Authorization", "Bearer " + token).exchange().returnResult(Map.class).getResponseBody()
                .blockFirst(Duration.ofSeconds(10));
        return content == null ? null : (String) content.get("membership");
    }

    private static WebTestClient.ResponseSpec post(WebTestClient server, String uri, String token, Object body) {
        WebTestClient.RequestBodySpec spec = server.post().uri(uri).contentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            spec = spec.header("Authorization", "Bearer " + token);
        }
        return spec.bodyValue(body).exchange();
    }

    private static Map<String, Object> ok(WebTestClient.ResponseSpec response) {
        return MatrixErrors.body(response.expectStatus().isOk());
    }
}
