package org.myelin.homeserver.voip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

/**
 * /voip/turnServer against the built-in relay: the credentials Myelin mints are accepted by Myelin's relay, as
 * checked by coturn's own client (turnutils_uclient), which nobody here wrote.
 */
@TestPropertySource(properties = {
        "myelin.turn.enabled=true",
        "myelin.turn.shared-secret=turn-it-secret",
        "myelin.turn.host=127.0.0.1",
        "myelin.turn.listen-address=127.0.0.1",
        "myelin.turn.udp-port=0",
        "myelin.turn.tcp-port=0",
        "myelin.turn.tls-port=0",
        "myelin.turn.relay-port-min=50100",
        "myelin.turn.relay-port-max=50199",
        "myelin.turn.allowed-peer-cidrs=127.0.0.0/8",
        "myelin.turn.external-uris=turn:turn.example.org:3478?transport=udp",
        "myelin.rate-limits.turn.per-second=0.001",
        "myelin.rate-limits.turn.burst=3"})
class TurnServerIT extends HomeserverIT {

    @Test
    void turnServerShouldReturnRestCredentialsForTheBuiltInRelayAndExternalUris() {
        Session alice = accounts.register("alice", "pw");

        Map<?, ?> body = turnServer(alice).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();

        String username = (String) body.get("username");
        assertThat(username).endsWith(":@alice:test.local");
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        assertThat(expiry).isGreaterThan(System.currentTimeMillis() / 1000 + 86_000);
        assertThat(((Number) body.get("ttl")).longValue()).isEqualTo(86_400);
        List<String> uris = ((List<?>) body.get("uris")).stream().map(Object::toString).toList();
        assertThat(uris).anyMatch(u -> u.matches("turn:127\\.0\\.0\\.1:\\d+\\?transport=udp"))
                .anyMatch(u -> u.matches("turn:127\\.0\\.0\\.1:\\d+\\?transport=tcp"))
                .anyMatch(u -> u.matches("turns:127\\.0\\.0\\.1:\\d+\\?transport=tcp"))
                .contains("turn:turn.example.org:3478?transport=udp");
    }

    @Test
    void mintedCredentialsShouldBeAcceptedByTheRelayAndWrongOnesRefused() throws Exception {
        requireUclient();
        Session bob = accounts.register("bob", "pw");
        Map<?, ?> body = turnServer(bob).expectStatus().isOk().expectBody(Map.class).returnResult()
                .getResponseBody();
        String udpUri = ((List<?>) body.get("uris")).get(0).toString();
        String port = udpUri.replaceAll(".*:(\\d+)\\?.*", "$1");

        Result ok = uclient(port, (String) body.get("username"), (String) body.get("password"));
        Result bad = uclient(port, (String) body.get("username"), "not-the-password");

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        Matcher totals = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$", Pattern.MULTILINE)
                .matcher(ok.output());
        assertThat(totals.find()).as(ok.output()).isTrue();
        assertThat(Integer.parseInt(totals.group(1))).as("messages sent").isPositive()
                .isEqualTo(Integer.parseInt(totals.group(2)));
        assertThat(ok.output()).contains("Total lost packets 0 ");
        assertThat(bad.exitCode()).as(bad.output()).isNotZero();
    }

    @Test
    void turnServerShouldNeedATokenAndBeRateLimited() {
        http.get().uri("/_matrix/client/v3/voip/turnServer").exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.errcode").isEqualTo("M_MISSING_TOKEN");
        Session carol = accounts.register("carol", "pw");
        for (int i = 0; i < 3; i++) {
            turnServer(carol).expectStatus().isOk();
        }
        turnServer(carol).expectStatus().isEqualTo(429).expectBody()
                .jsonPath("$.errcode").isEqualTo("M_LIMIT_EXCEEDED")
                .jsonPath("$.retry_after_ms").isNumber();
    }

    private ResponseSpec turnServer(Session s) {
        return http.get().uri("/_matrix/client/v3/voip/turnServer").header("Authorization", s.bearer()).exchange();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result uclient(String port, String user, String password) throws IOException,
            InterruptedException {
        Process p = new ProcessBuilder("turnutils_uclient", "-y", "-n", "5", "-l", "120", "-p", port, "-u", user,
                "-w", password, "127.0.0.1").redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void requireUclient() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/turnutils_uclient"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("turnutils_uclient (Debian package coturn) is required in CI");
        }
        Assumptions.assumeTrue(present, "turnutils_uclient not installed");
    }
}
