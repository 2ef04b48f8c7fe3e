package org.myelin.homeserver.federation;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.myelin.db.testing.TestDatabase;
import org.myelin.homeserver.MyelinApplication;
import org.myelin.homeserver.support.Accounts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Several real Myelin servers federating over TLS on loopback, each with its own database, data directory, signing
 * key, server name ({@code localhost:<port>} or {@code 127.0.0.1:<port>}) and certificate. The certificates are
 * generated before the servers start and trusted by all of them through one CA file, so TLS is verified for real;
 * the outbound guard lets them reach loopback, as a test deployment must list it.
 */
final class FederatedServers implements AutoCloseable {

    /** One running server. */
    record Server(String name, ConfigurableApplicationContext context, WebTestClient http, Accounts accounts,
                  int federationPort, Path dataDir, String dbUrl) {

        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }
    }

    private final List<Server> servers = new ArrayList<>();
    private Path caFile;

    /**
     * Starts one server per entry of {@code hosts} ({@code localhost} or {@code 127.0.0.1}), each with the extra
     * {@code --key=value} arguments of the same index (may be empty).
     */
    static FederatedServers start(List<String> hosts, List<List<String>> extraArgs) throws IOException {
        FederatedServers all = new FederatedServers();
        List<Path> dataDirs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        Path caFile = Files.createTempFile("myelin-federation-ca", ".pem");
        StringBuilder bundle = new StringBuilder();
        for (String host : hosts) {
            Path dataDir = Files.createTempDirectory("myelin-fed");
            int port = freePort();
            String name = host + ":" + port;
            FederationCertificate.load("", "", dataDir, name);
            bundle.append(Files.readString(dataDir.resolve(FederationCertificate.CERT_FILE)));
            dataDirs.add(dataDir);
            names.add(name);
            ports.add(port);
        }
        Files.writeString(caFile, bundle);
        all.caFile = caFile;
        try {
            for (int i = 0; i < hosts.size(); i++) {
                all.servers.add(startOne(names.get(i), ports.get(i), dataDirs.get(i), caFile,
                        TestDatabase.fresh("federated").myelinUrl(),
                        i < extraArgs.size() ? extraArgs.get(i) : List.of()));
            }
        } catch (RuntimeException e) {
            all.close();
            throw e;
        }
        return all;
    }

    /**
     * Starts another node of server {@code index}: the same name, database, data directory (so signing key and
     * certificate) and CA file, its own ports. Other servers still reach that server through its first node.
     */
    Server startNode(int index) throws IOException {
        Server first = servers.get(index);
        Server node = startOne(first.name(), freePort(), first.dataDir(), caFile, first.dbUrl(), List.of());
        servers.add(node);
        return node;
    }

    private static Server startOne(String name, int federationPort, Path dataDir, Path caFile, String dbUrl,
                                   List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--myelin.server-name=" + name,
                "--myelin.db.url=" + dbUrl,
                "--myelin.data-dir=" + dataDir,
                "--myelin.registration.mode=open",
                "--myelin.rate-limits.register.per-second=1000",
                "--myelin.rate-limits.register.burst=1000",
                "--myelin.rate-limits.login.per-second=1000",
                "--myelin.rate-limits.login.burst=1000",
                "--myelin.turn.enabled=false",
                "--myelin.federation.port=" + federationPort,
                "--myelin.federation.listen-address=127.0.0.1",
                "--myelin.federation.ca-file=" + caFile,
                "--myelin.federation.request-timeout=20s",
                "--myelin.outbound.allowed-cidrs=127.0.0.0/8,::1/128"));
        args.addAll(extra);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MyelinApplication.class)
                .run(args.toArray(new String[0]));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .responseTimeout(Duration.ofSeconds(30)).build();
        return new Server(name, context, http, new Accounts(http), federationPort, dataDir, dbUrl);
    }

    Server get(int index) {
        return servers.get(index);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        servers.forEach(s -> s.context().close());
    }
}
