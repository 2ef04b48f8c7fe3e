package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;

/** The header, body and idle deadlines of client connections ({@code myelin.http.*}), with short test values. */
@TestPropertySource(properties = {
        "myelin.http.header-timeout=1s",
        "myelin.http.body-timeout=1s",
        "myelin.http.idle-timeout=3s"})
class HttpTimeoutsIT extends HomeserverIT {

    private static final long SLACK_MILLIS = 3_000;
    private static final String LOGIN = "POST /_matrix/client/v3/login HTTP/1.1\r\nHost: test.local\r\n"
            + "Content-Type: application/json\r\n";

    @Test
    void slowlorisConnectionsShouldGet408AndBeClosedWhileOtherClientsAreServed() throws Exception {
        List<RawHttp> clients = new ArrayList<>();
        long[] closedAfter = new long[200];
        long started = System.nanoTime();
        for (int i = 0; i < closedAfter.length; i++) {
            RawHttp client = new RawHttp(port);
            client.send("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\n");
            clients.add(client);
        }
        int open = clients.size();
        boolean servedMeanwhile = false;
        while (open > 0 && System.nanoTime() - started < (1_000 + SLACK_MILLIS) * 1_000_000) {
            for (int i = 0; i < clients.size(); i++) {
                if (closedAfter[i] == 0) {
                    clients.get(i).send("X-Slow: " + i + "\r\n");
                    if (clients.get(i).awaitClose(1)) {
                        closedAfter[i] = (System.nanoTime() - started) / 1_000_000;
                        open--;
                    }
                }
            }
            if (!servedMeanwhile) {
                ok(get("/_matrix/client/versions", null));
                servedMeanwhile = true;
            }
            Thread.sleep(200);
        }
        for (int i = 0; i < clients.size(); i++) {
            assertThat(closedAfter[i]).as("connection %d closed (ms after start)", i).isPositive();
            assertThat(clients.get(i).received()).startsWith("HTTP/1.1 408").contains("\"errcode\":\"M_UNKNOWN\"");
            clients.get(i).close();
        }
        assertThat(servedMeanwhile).isTrue();
        System.out.printf("slowloris: 200 connections closed with 408 after %d..%d ms (header timeout 1000 ms)%n",
                Arrays.stream(closedAfter).min().orElseThrow(),
                Arrays.stream(closedAfter).max().orElseThrow());
    }

    @Test
    void announcedBodyThatNeverArrivesShouldGet408() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send(LOGIN + "Content-Length: 100\r\n\r\n{\"type\":");
            assertThat(client.awaitClose(1_000 + SLACK_MILLIS)).isTrue();
            assertThat(client.received()).startsWith("HTTP/1.1 408").contains("\"errcode\":\"M_UNKNOWN\"");
        }
    }

    @Test
    void chunkedBodyThatStallsShouldGet408() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send(LOGIN + "Transfer-Encoding: chunked\r\n\r\n8\r\n{\"type\":\r\n");
            assertThat(client.awaitClose(1_000 + SLACK_MILLIS)).isTrue();
            assertThat(client.received()).startsWith("HTTP/1.1 408").contains("\"errcode\":\"M_UNKNOWN\"");
        }
    }

    @Test
    void idleKeepAliveConnectionShouldBeClosedAfterTheIdleTimeoutNotBefore() throws Exception {
        try (RawHttp client = new RawHttp(port)) {
            client.send("GET /_matrix/client/versions HTTP/1.1\r\nHost: test.local\r\n\r\n");
            assertThat(client.awaitText("\"versions\"", 5_000)).isTrue();
            long answered = System.nanoTime();
            assertThat(client.awaitClose(2_000)).as("still open before the idle timeout").isFalse();
            assertThat(client.awaitClose(1_000 + SLACK_MILLIS)).as("closed after the idle timeout").isTrue();
            System.out.printf("idle keep-alive connection closed %d ms after its last response (idle timeout "
                    + "3000 ms)%n", (System.nanoTime() - answered) / 1_000_000);
            assertThat(client.received()).startsWith("HTTP/1.1 200").doesNotContain("408");
        }
    }

    @Test
    void longPollLongerThanTheIdleTimeoutShouldBeAnswered() throws Exception {
        Session alice = accounts.register(unique("poll"), "pw-poll-1");
        Map<String, Object> initial = ok(get("/_matrix/client/v3/sync?timeout=0", alice.accessToken()));
        // The first incremental sync after an initial one returns at once (the user coming online): settle first.
        Map<String, Object> settled = ok(get("/_matrix/client/v3/sync?timeout=0&since=" + initial.get("next_batch"),
                alice.accessToken()));
        try (RawHttp client = new RawHttp(port)) {
            long started = System.nanoTime();
            client.send("GET /_matrix/client/v3/sync?timeout=5000&since=" + settled.get("next_batch")
                    + " HTTP/1.1\r\nHost: test.local\r\nAuthorization: Bearer " + alice.accessToken() + "\r\n\r\n");
            assertThat(client.awaitText("\"next_batch\"", 15_000)).isTrue();
            assertThat(client.received()).startsWith("HTTP/1.1 200");
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(4_500);
        }
    }
}
