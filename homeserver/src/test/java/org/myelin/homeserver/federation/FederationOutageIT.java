package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.homeserver.support.Accounts;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A destination that goes away and comes back: while B's federation listener is down A keeps accepting alice's
 * messages, and once B listens again A's sender (backing off meanwhile) catches up from its stored position, so bob
 * on B gets every message once, in order.
 */
@RequiresPostgres
class FederationOutageIT {

    private static FederatedServers servers;
    private static Accounts.Session alice;
    private static Accounts.Session bob;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"), List.of());
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        bob = servers.get(1).accounts().register("bob", "a long password for bob");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void messagesSentWhileTheOtherServerIsUnreachableArriveOnceInOrderAfterwards() throws InterruptedException {
        WebTestClient a = servers.get(0).http();
        Map<?, ?> created = a.post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("preset", "public_chat"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String roomId = (String) created.get("room_id");
        servers.get(1).http().post().uri(u -> u.path("/_matrix/client/v3/join/{r}")
                        .queryParam("server_name", servers.get(0).name()).build(roomId))
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isOk();

        FederationListener listener = servers.get(1).bean(FederationListener.class);
        listener.stop();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "while B was down " + i;
            a.put().uri("/_matrix/client/v3/rooms/{r}/send/m.room.message/t{i}", roomId, i)
                    .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("msgtype", "m.text", "body", body)).exchange().expectStatus().isOk();
            sent.add(body);
        }
        awaitFailedDelivery(servers.get(1).name());
        listener.start();
        WebTestClient b = servers.get(1).http();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> received;
        while (true) {
            received = messages(b, roomId);
            if (received.containsAll(sent)) {
                break;
            }
            assertThat(System.nanoTime()).as("waiting for the messages, have " + received).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(received.stream().filter(sent::contains).toList()).isEqualTo(sent);
    }

    /** Waits until A has recorded a failed delivery to {@code destination}, so the outage was really seen. */
    private static void awaitFailedDelivery(String destination) throws InterruptedException {
        Database db = servers.get(0).bean(Database.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (db.many(db.sql("SELECT failures FROM federation_destinations WHERE destination = :d")
                .bind("d", destination), row -> row.intValue("failures")).block(Duration.ofSeconds(10))
                .stream().noneMatch(failures -> failures > 0)) {
            assertThat(System.nanoTime()).as("waiting for a failed delivery").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Bob's view of the room's message bodies, oldest first. */
    private static List<String> messages(WebTestClient b, String roomId) {
        Map<?, ?> page = b.get().uri("/_matrix/client/v3/rooms/{r}/messages?dir=b&limit=100", roomId)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<String> bodies = new ArrayList<>();
        for (Object event : (List<?>) page.get("chunk")) {
            Object body = ((Map<?, ?>) ((Map<?, ?>) event).get("content")).get("body");
            if (body != null) {
                bodies.add(0, (String) body);
            }
        }
        return bodies;
    }
}
