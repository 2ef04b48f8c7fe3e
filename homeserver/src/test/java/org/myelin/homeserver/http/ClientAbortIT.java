package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.web.reactive.server.WebTestClient;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A client that disconnects before sending its body is no server error: no ERROR, no 500 in the metrics; and what
 * Netty warns about clients' malformed requests is rate-limited.
 */
class ClientAbortIT extends HomeserverIT {

    @LocalManagementPort
    int managementPort;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    @Test
    void clientLeavingBeforeItsBodyShouldBeNeitherAnErrorNorA500() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (RawHttp client = new RawHttp(port)) {
                client.send("POST /_matrix/client/v3/login HTTP/1.1\r\nHost: test.local\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":");
                Thread.sleep(200);
            }
        }
        Thread.sleep(1_000);
        ok(get("/_matrix/client/versions", null));

        List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .toList();
        assertThat(errors).as("ERROR lines").isEmpty();
        String metrics = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        List<String> login = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count")
                && l.contains("uri=\"/_matrix/client/v3/login\"")).toList();
        assertThat(login).as("login request metrics").isNotEmpty().noneMatch(l -> l.contains("status=\"500\""));
    }

    @Test
    void malformedRequestLinesShouldBeWarnedAboutAtMostOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawHttp client = new RawHttp(port)) {
                client.send("GET /_matrix/client/versions HTTP/1.1 extra\r\nHost: test.local\r\n\r\n");
                assertThat(client.awaitClose(5_000)).isTrue();
                assertThat(client.received()).startsWith("HTTP/1.1 400");
            }
        }
        long warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getLoggerName().startsWith("reactor.netty.") || e.getLoggerName().startsWith("io.netty.")
                        || e.getLoggerName().equals(MalformedRequestAnswer.class.getName()))
                .count();
        // At most one: the limiter is shared by the server, so an earlier test class may have used this minute's.
        assertThat(warnings).as("warnings for 20 malformed requests").isLessThanOrEqualTo(1);
    }
}
