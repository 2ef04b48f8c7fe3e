package org.myelin.voip.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Runs the relay on its own, outside the homeserver, e.g. for the benchmark in {@code voip/bench}:
 * <pre>
 * java -cp "$(cat cp.txt):voip/target/classes" org.myelin.voip.relay.RelayMain --secret=s3cret \
 *     --listen=127.0.0.1 --udp-port=3478 --tcp-port=3478 --tls-port=-1 --relay-ports=49152-65535 \
 *     --allow-peers=127.0.0.0/8 --quota=1000 --bandwidth=0
 * </pre>
 * Further options: {@code --realm}, {@code --external}, {@code --tls-cert}, {@code --tls-key},
 * {@code --tls-password}. It prints {@code READY} once listening and stops on SIGTERM or SIGINT.
 */
public final class RelayMain {

    private RelayMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        TurnRelayConfig.Builder builder = TurnRelayConfig.builder(required(options, "secret"));
        apply(options, "realm", builder::realm);
        apply(options, "listen", value -> builder.listenAddress(address(value)));
        apply(options, "external", value -> builder.externalAddress(address(value)));
        apply(options, "udp-port", value -> builder.udpPort(Integer.parseInt(value)));
        apply(options, "tcp-port", value -> builder.tcpPort(Integer.parseInt(value)));
        apply(options, "tls-port", value -> builder.tlsPort(Integer.parseInt(value)));
        apply(options, "quota", value -> builder.maxAllocationsPerUser(Integer.parseInt(value)));
        apply(options, "bandwidth", value -> builder.bandwidthLimitBytesPerSecond(Long.parseLong(value)));
        apply(options, "allow-peers", value -> builder.allowedPeerCidrs(List.of(value.split(","))));
        apply(options, "relay-ports", value -> {
            String[] range = value.split("-");
            builder.relayPorts(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
        });
        if (options.containsKey("tls-cert")) {
            String key = options.get("tls-key");
            builder.tls(Path.of(options.get("tls-cert")), key == null ? null : Path.of(key),
                    options.getOrDefault("tls-password", ""));
        }
        TurnRelayServer server = new TurnRelayServer(builder.build(), new SimpleMeterRegistry());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        server.start();
        System.out.println("READY udp=" + server.udpAddress() + " tcp=" + server.tcpAddress() + " tls="
                + server.tlsAddress());
        stopped.await();
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + "= is required; options: " + Arrays.toString(
                    new String[] {"secret", "realm", "listen", "external", "udp-port", "tcp-port", "tls-port",
                        "relay-ports", "allow-peers", "quota", "bandwidth", "tls-cert", "tls-key", "tls-password"}));
        }
        return value;
    }

    private static void apply(Map<String, String> options, String name, Consumer<String> setter) {
        String value = options.get(name);
        if (value != null) {
            setter.accept(value);
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad address " + text, e);
        }
    }
}
