package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Myelin's relay against a client nobody here wrote: coturn's {@code turnutils_uclient}, which builds the TURN REST
 * username and password itself from {@code -W <secret>}, and {@code turnutils_peer} as the UDP echo peer. Skipped when
 * coturn's tools are not installed, except under {@code CI=true}, where that is a failure.
 */
class CoturnClientIT {

    private static final String SECRET = "it-s3cret";
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$");

    private static TurnRelayServer relay;
    private static Process peer;
    private static int peerPort;

    @BeforeAll
    static void startRelayAndPeer() throws Exception {
        requireTool("turnutils_uclient");
        requireTool("turnutils_peer");
        relay = new TurnRelayServer(TurnRelayConfig.builder(SECRET).realm("it.myelin")
                .listenAddress(InetAddress.getLoopbackAddress()).udpPort(0).tcpPort(0).tlsPort(0)
                .relayPorts(20000, 20999).allowedPeerCidrs(List.of("127.0.0.0/8")).maxAllocationsPerUser(50)
                .build(), new SimpleMeterRegistry());
        relay.start();
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peerPort = probe.getLocalPort();
        }
        peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", String.valueOf(peerPort))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.destroy();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void udpWithChannelData() throws Exception {
        assertAllEchoed(uclient(relay.udpAddress().getPort(), SECRET, "-e", "127.0.0.1", "-r", str(peerPort)));
    }

    @Test
    void udpWithSendAndDataIndications() throws Exception {
        assertAllEchoed(uclient(relay.udpAddress().getPort(), SECRET, "-s", "-e", "127.0.0.1", "-r", str(peerPort)));
    }

    @Test
    void tcpToTheRelay() throws Exception {
        assertAllEchoed(uclient(relay.tcpAddress().getPort(), SECRET, "-t", "-e", "127.0.0.1", "-r", str(peerPort)));
    }

    @Test
    void clientToClientThroughTwoRelays() throws Exception {
        assertAllEchoed(uclient(relay.udpAddress().getPort(), SECRET, "-y"));
    }

    @Test
    void tlsToTheRelayWithTheGeneratedCertificate() throws Exception {
        assertAllEchoed(uclient(relay.tlsAddress().getPort(), SECRET, "-t", "-S", "-e", "127.0.0.1", "-r",
                str(peerPort)));
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        Result result = uclient(relay.udpAddress().getPort(), "not-the-secret", "-e", "127.0.0.1", "-r",
                str(peerPort));
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("Cannot complete Allocation");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result uclient(int port, String secret, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("turnutils_uclient", "-p", str(port), "-W", secret,
                "-u", "alice", "-n", "20", "-l", "160", "-z", "5"));
        command.addAll(List.of(options));
        command.add("127.0.0.1");
        Path log = Files.createTempFile("uclient", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("turnutils_uclient timed out: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void assertAllEchoed(Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
        long sent = -1;
        long received = -1;
        for (String line : result.output().split("\n")) {
            Matcher totals = TOTALS.matcher(line);
            if (totals.find()) {
                sent = Long.parseLong(totals.group(1));
                received = Long.parseLong(totals.group(2));
            }
        }
        assertThat(sent).as(result.output()).isPositive();
        assertThat(received).as("messages received back of %d sent", sent).isEqualTo(sent);
        assertThat(result.output()).contains("Total lost packets 0 (0.000000%)");
    }

    private static String str(int value) {
        return String.valueOf(value);
    }

    static void requireTool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return;
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(name + " is not on PATH; CI must install coturn (apt-get install -y coturn)");
        }
        Assumptions.abort(name + " is not on PATH; install coturn to run this test");
    }
}
