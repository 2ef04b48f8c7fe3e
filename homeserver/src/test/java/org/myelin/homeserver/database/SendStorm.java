package org.myelin.homeserver.database;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * One thread per sender PUTting messages into a room, one after another, recording the event ID of every send the
 * server acknowledged (200), in order. A thread stops at its first failed send (the server was killed), keeping
 * when and how it failed so that a test can check no send failed before the kill.
 */
final class SendStorm {

    /** A send that failed: when (System.nanoTime) and why. */
    record Failure(long nanos, Throwable cause) {
    }

    private final WebTestClient http;
    private final String roomId;
    private final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    SendStorm(WebTestClient http, String roomId) {
        this.http = http;
        this.roomId = roomId;
    }

    /** Starts one sending thread per session. */
    SendStorm start(List<Session> senders) {
        for (Session sender : senders) {
            List<String> ids = Collections.synchronizedList(new ArrayList<>());
            acknowledged.put(sender.userId(), ids);
            Thread thread = new Thread(() -> send(sender, ids), "storm-" + sender.userId());
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Waits for every thread to stop (they stop when a send fails). */
    void awaitStopped() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }

    /** Acknowledged event IDs per sender (user ID), in the order the acknowledgements arrived. */
    Map<String, List<String>> acknowledged() {
        return acknowledged;
    }

    List<Failure> failures() {
        return failures;
    }

    int acknowledgedCount() {
        return acknowledged.values().stream().mapToInt(List::size).sum();
    }

    private void send(Session sender, List<String> ids) {
        for (int n = 0; ; n++) {
            try {
                Map<String, Object> body = MatrixErrors.body(http.put()
                        .uri("/_matrix/client/v3/rooms/{room}/send/m.room.message/{txn}", roomId, "storm" + n)
                        .header("Authorization", sender.bearer()).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("msgtype", "m.text", "body", sender.userId() + " " + n))
                        .exchange().expectStatus().isOk());
                ids.add((String) body.get("event_id"));
            } catch (RuntimeException | AssertionError e) {
                failures.add(new Failure(System.nanoTime(), e));
                return;
            }
        }
    }
}
