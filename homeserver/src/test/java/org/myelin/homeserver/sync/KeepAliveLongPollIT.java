package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.homeserver.support.KeepAliveConnection;
import org.myelin.homeserver.support.KeepAliveConnection.Response;
import org.springframework.http.HttpMethod;

import tools.jackson.databind.json.JsonMapper;

/**
 * A browser's sync loop on one kept-alive HTTP/1.1 connection: (a CORS pre-flight, then) GET /sync?since=…, again
 * and again, while another user sends typing notifications and messages that land at every moment of the poll's
 * life (before it arrives, while it computes, while it is parked, as it times out, while its answer is written).
 * Every request must be answered, and every message must arrive exactly once, in order. Reactor Netty 1.3.6 stopped
 * reading such a connection after a pre-flight that arrived before the previous response had terminated, so the
 * GET behind it was never answered (7 of 13 runs of a 20-round loop hung).
 */
class KeepAliveLongPollIT extends HomeserverIT {

    private static final int ROUNDS = 150;
    private static final int POLL_MILLIS = 150;

    @ParameterizedTest(name = "pre-flight before each poll: {0}")
    @ValueSource(booleans = {true, false})
    void everyPollOnOneKeptAliveConnectionShouldBeAnswered(boolean preflight) throws Exception {
        SyncClient client = new SyncClient(http);
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String since = (String) client.sync(bob).get("next_batch");

        List<String> sent = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            String typingUri = "/_matrix/client/v3/rooms/" + roomId + "/typing/" + alice.userId();
            for (int i = 0; !stop.get(); i++) {
                client.request(HttpMethod.PUT, typingUri, alice,
                        Map.of("typing", true, "timeout", 3000)).expectStatus().isOk();
                pause(ThreadLocalRandom.current().nextInt(POLL_MILLIS * 2));
                String body = "m" + i;
                client.send(alice, roomId, body);
                synchronized (sent) {
                    sent.add(body);
                }
                pause(ThreadLocalRandom.current().nextInt(POLL_MILLIS * 2));
            }
        });

        List<String> received = new ArrayList<>();
        try (KeepAliveConnection connection = new KeepAliveConnection(port, Duration.ofSeconds(15))) {
            for (int round = 0; round < ROUNDS; round++) {
                since = poll(connection, bob, since, preflight, POLL_MILLIS, roomId, received);
            }
            stop.set(true);
            sender.get();
            since = poll(connection, bob, since, preflight, 0, roomId, received);
        } finally {
            stop.set(true);
        }
        synchronized (sent) {
            assertThat(sent).isNotEmpty();
            assertThat(received).containsExactlyElementsOf(sent);
        }
    }

    private String poll(KeepAliveConnection connection, Session bob, String since, boolean preflight, int timeout,
            String roomId, List<String> received) throws Exception {
        String target = "/_matrix/client/v3/sync?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
                + "&timeout=" + timeout;
        if (preflight) {
            Response allowed = connection.exchange("OPTIONS", target, Map.of("Origin", "https://app.example",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"),
                    null);
            assertThat(allowed.status()).isBetween(200, 299);
            assertThat(allowed.headers()).containsEntry("access-control-allow-origin", "*");
        }
        Response answer = connection.exchange("GET", target, Map.of("Origin", "https://app.example",
                "Authorization", "Bearer " + bob.accessToken()), null);
        assertThat(answer.status()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> body = JsonMapper.shared().readValue(answer.body(), Map.class);
        Map<String, Object> timeline = at(body, "rooms", "join", roomId, "timeline");
        if (timeline != null) {
            received.addAll(bodies(events(timeline)));
        }
        return (String) body.get("next_batch");
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
