package org.myelin.homeserver.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.myelin.homeserver.MyelinApplication;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Myelin in a child JVM (the test's classpath, its main class), with the embedded PostgreSQL in {@code dataDir}:
 * no {@code MYELIN_DB_URL}, open registration, free client and management ports, no TURN. Its output goes to
 * {@code log}, which failure messages quote.
 */
final class MyelinProcess {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final Process process;
    final int port;
    final Path log;
    private final long startedNanos;

    private MyelinProcess(Process process, int port, Path log, long startedNanos) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    /** Starts Myelin; {@link #awaitHttp} waits for it to answer. */
    static MyelinProcess start(Path dataDir, Path log) throws IOException {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                MyelinApplication.class.getName());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MYELIN_"));
        env.putAll(Map.of(
                "MYELIN_DATA_DIR", dataDir.toString(),
                "MYELIN_SERVER_NAME", "crash.test",
                "MYELIN_CLIENT_PORT", Integer.toString(port),
                "MYELIN_MANAGEMENT_PORT", Integer.toString(freePort()),
                "MYELIN_REGISTRATION", "open",
                "MYELIN_RATELIMIT_REGISTER_BURST", "100",
                "MYELIN_RATELIMIT_LOGIN_BURST", "100",
                "MYELIN_TURN_ENABLED", "false",
                "MYELIN_FEDERATION_PORT", "-1"));
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long started = System.nanoTime();
        return new MyelinProcess(builder.start(), port, log, started);
    }

    /** Waits until the client API answers; returns how long that took from the start of the JVM. */
    Duration awaitHttp(Duration deadline) throws IOException, InterruptedException {
        HttpRequest versions = HttpRequest.newBuilder(URI.create(baseUrl() + "/_matrix/client/versions"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
            assertThat(process.isAlive()).as("Myelin exited (%s) before answering; its log:%n%s",
                    process.isAlive() ? "" : process.exitValue(), logTail()).isTrue();
            assertThat(elapsed).as("Myelin answering HTTP; its log:%n%s", logTail()).isLessThan(deadline);
            try {
                if (PROBE.send(versions, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return elapsed;
                }
            } catch (ConnectException | HttpTimeoutException e) {
                // not listening yet, or listening but too busy starting to answer within the probe's timeout
            }
            Thread.sleep(50);
        }
    }

    WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl(baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** kill -9 and wait for the JVM to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Stops the JVM if a test left it running (SIGTERM: Myelin shuts down and stops its PostgreSQL). */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** The last lines of the log. */
    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
