package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.homeserver.support.Accounts;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A destination that goes away and comes back: while B's federation listener is down A keeps accepting alice's
 * messages, and once B listens again A's sender (backing off meanwhile) catches up from its stored position, so bob
 * on B gets every message once, in order. Then the same with two nodes of A, the one sending stopping midway.
 */
@RequiresPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    @Order(1)
    void messagesSentWhileTheOtherServerIsUnreachableArriveOnceInOrderAfterwards() throws InterruptedException {
        WebTestClient a = servers.get(0).http();
        String roomId = publicRoomJoinedByBob();

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

    /**
     * Two nodes of server A on one database, sending to B: the node holding B's lease stops sending with messages
     * still queued (B was unreachable), and the other node, once that lease has run out, delivers the rest, each
     * once and in order. Runs last: node 1 sends nothing afterwards.
     */
    @Test
    @Order(2)
    void whenTheNodeHoldingADestinationsLeaseStopsTheOtherNodeDeliversTheRest() throws Exception {
        WebTestClient a1 = servers.get(0).http();
        String roomId = publicRoomJoinedByBob();

        FederationListener bListener = servers.get(1).bean(FederationListener.class);
        bListener.stop();
        List<String> sent = new ArrayList<>();
        send(a1, roomId, "queued on node 1", sent);
        String holder = awaitFailedDelivery(servers.get(1).name());
        FederatedServers.Server node2 = servers.startNode(0);
        send(node2.http(), roomId, "queued on node 2", sent);
        send(a1, roomId, "queued on node 1 again", sent);
        // Node 1 stops sending as a node that died would: its loop ends, nothing releases the lease it holds. (Closing
        // its whole context would also stop B, as the servers of one test JVM share Reactor Netty's resources.)
        servers.get(0).bean(FederationSenderLifecycle.class).stop();
        bListener.start();

        WebTestClient b = servers.get(1).http();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        List<String> received;
        while (!(received = messages(b, roomId)).containsAll(sent)) {
            assertThat(System.nanoTime()).as("waiting for the messages, have " + received).isLessThan(deadline);
            Thread.sleep(250);
        }
        assertThat(received.stream().filter(sent::contains).toList()).isEqualTo(sent);
        assertThat(leaseOwner(servers.get(1).name())).as("the lease moved to the surviving node").isNotEqualTo(holder);
    }

    /** A public room of alice's on A that bob on B has joined. */
    private static String publicRoomJoinedByBob() {
        Map<?, ?> created = servers.get(0).http().post().uri("/_matrix/client/v3/createRoom")
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", "public_chat")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String roomId = (String) created.get("room_id");
        servers.get(1).http().post().uri(u -> u.path("/_matrix/client/v3/join/{r}")
                        .queryParam("server_name", servers.get(0).name()).build(roomId))
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isOk();
        return roomId;
    }

    private static void send(WebTestClient node, String roomId, String body, List<String> sent) {
        node.put().uri("/_matrix/client/v3/rooms/{r}/send/m.room.message/t{n}", roomId, System.nanoTime())
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("msgtype", "m.text", "body", body)).exchange().expectStatus().isOk();
        sent.add(body);
    }

    /**
     * Waits until A has recorded a failed delivery to {@code destination}, so the outage was really seen; the node
     * then holding its lease.
     */
    private static String awaitFailedDelivery(String destination) throws InterruptedException {
        Database db = servers.get(0).bean(Database.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> owners = db.many(db.sql("SELECT lease_owner FROM federation_destinations"
                    + " WHERE destination = :d AND failures > 0").bind("d", destination),
                    row -> row.string("lease_owner")).block(Duration.ofSeconds(10));
            if (!owners.isEmpty() && owners.get(0) != null) {
                return owners.get(0);
            }
            assertThat(System.nanoTime()).as("waiting for a failed delivery").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String leaseOwner(String destination) {
        Database db = servers.get(0).bean(Database.class);
        return db.many(db.sql("SELECT lease_owner FROM federation_destinations WHERE destination = :d")
                .bind("d", destination), row -> row.string("lease_owner")).block(Duration.ofSeconds(10)).get(0);
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
