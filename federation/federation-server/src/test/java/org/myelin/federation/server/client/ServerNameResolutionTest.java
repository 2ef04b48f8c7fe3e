package org.myelin.federation.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.http.outbound.OutboundAddressGuard;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Server-name resolution against a real DNS server (Netty's codec, on loopback) and a real HTTPS server answering
 * {@code /.well-known/matrix/server} by {@code Host}: every step of the spec's order, redirects, invalid answers and
 * caching.
 */
class ServerNameResolutionTest {

    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static TestDnsServer dns;
    private static DisposableServer wellKnown;
    private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    private static FederationClient client;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("wellknown.test");
        wellKnown = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(serverContext(cert)))
                .handle((request, response) -> {
                    String host = request.requestHeaders().get("Host", "").replaceFirst(":\\d+$", "");
                    HITS.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                    return switch (host) {
                        case "wk.test" -> response.header("Cache-Control", "max-age=600")
                                .sendString(Mono.just("{\"m.server\":\"delegated.test:9999\"}"));
                        case "wk-srv.test" -> response.sendString(Mono.just("{\"m.server\":\"delegated.test\"}"));
                        case "wk-ip.test" -> response.sendString(Mono.just("{\"m.server\":\"[::1]\"}"));
                        case "wk-bad.test" -> response.sendString(Mono.just("not json"));
                        case "redirect.test" -> response.status(302).header("Location",
                                "https://wk.test:" + wellKnownPort() + "/.well-known/matrix/server").send();
                        case "loop.test" -> response.status(302).header("Location",
                                "https://loop.test:" + wellKnownPort() + "/.well-known/matrix/server").send();
                        default -> response.status(404).send();
                    };
                }).bindNow();
        dns = new TestDnsServer();
        for (String host : List.of("wk.test", "wk-srv.test", "wk-ip.test", "wk-bad.test", "redirect.test", "loop.test",
                "srv.test", "legacy.test", "plain.test", "delegated.test", "target.test")) {
            dns.a(host, LOOPBACK);
        }
        dns.srv("_matrix-fed._tcp.srv.test", new SrvTarget("target.test", 1234, 10, 0))
                .srv("_matrix._tcp.legacy.test", new SrvTarget("target.test", 2345, 10, 0))
                .srv("_matrix-fed._tcp.delegated.test", new SrvTarget("target.test", 3456, 10, 0));
        client = new FederationClient(new FederationClient.Settings(ServerName.parse("origin.test"),
                Duration.ofSeconds(10), 1 << 16, false, Optional.empty(), OutboundAddressGuard.parse("127.0.0.0/8"),
                List.of(dns.address())), SigningKey.generate(KeyId.ed25519("t"), new SecureRandom()),
                Clock.systemUTC(), wellKnownPort());
    }

    private static SslContext serverContext(SelfSignedCertificate cert) {
        try {
            return SslContextBuilder.forServer(cert.certificate(), cert.privateKey()).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int wellKnownPort() {
        return wellKnown.port();
    }

    @AfterAll
    static void stop() {
        client.close();
        dns.close();
        wellKnown.disposeNow();
    }

    private static Destination resolve(String server) {
        return client.resolve(ServerName.parse(server)).block(Duration.ofSeconds(20));
    }

    @Test
    void ipLiteralsAreUsedAsTheyAreWithPort8448ByDefault() {
        assertThat(resolve("1.2.3.4")).isEqualTo(new Destination("1.2.3.4", "1.2.3.4", 8448, "1.2.3.4"));
        assertThat(resolve("[::1]:8080")).isEqualTo(new Destination("[::1]", "[::1]", 8080, "[::1]:8080"));
    }

    @Test
    void anExplicitPortSkipsWellKnownAndSrv() {
        assertThat(resolve("srv.test:8000")).isEqualTo(new Destination("srv.test", "srv.test", 8000, "srv.test:8000"));
    }

    @Test
    void aWellKnownDelegationWithAPortIsUsedAndCached() {
        Destination expected = new Destination("delegated.test", "delegated.test", 9999, "delegated.test:9999");
        assertThat(resolve("wk.test")).isEqualTo(expected);
        int hits = HITS.get("wk.test").get();
        assertThat(resolve("wk.test")).isEqualTo(expected);
        assertThat(HITS.get("wk.test").get()).isEqualTo(hits);
    }

    @Test
    void aDelegatedNameWithoutPortIsLookedUpBySrv() {
        assertThat(resolve("wk-srv.test"))
                .isEqualTo(new Destination("delegated.test", "target.test", 3456, "delegated.test"));
    }

    @Test
    void aDelegatedIpLiteralUsesPort8448() {
        assertThat(resolve("wk-ip.test")).isEqualTo(new Destination("[::1]", "[::1]", 8448, "[::1]"));
    }

    @Test
    void redirectsAreFollowedButNotInALoop() {
        assertThat(resolve("redirect.test"))
                .isEqualTo(new Destination("delegated.test", "delegated.test", 9999, "delegated.test:9999"));
        assertThat(resolve("loop.test")).isEqualTo(new Destination("loop.test", "loop.test", 8448, "loop.test"));
    }

    @Test
    void withoutWellKnownTheSrvRecordsDecide() {
        assertThat(resolve("srv.test")).isEqualTo(new Destination("srv.test", "target.test", 1234, "srv.test"));
        assertThat(resolve("legacy.test")).isEqualTo(new Destination("legacy.test", "target.test", 2345, "legacy.test"));
    }

    @Test
    void anInvalidWellKnownFallsBackAndIsCachedAsAFailure() {
        assertThat(resolve("wk-bad.test")).isEqualTo(new Destination("wk-bad.test", "wk-bad.test", 8448, "wk-bad.test"));
        int hits = HITS.get("wk-bad.test").get();
        resolve("wk-bad.test");
        assertThat(HITS.get("wk-bad.test").get()).isEqualTo(hits);
    }

    @Test
    void withNothingPublishedTheHostnameOnPort8448IsUsed() {
        assertThat(resolve("plain.test")).isEqualTo(new Destination("plain.test", "plain.test", 8448, "plain.test"));
    }

    @Test
    void cacheLifetimesFollowTheSpecsRecommendations() {
        assertThat(WellKnownLookup.ttl(null)).isEqualTo(Duration.ofHours(24));
        assertThat(WellKnownLookup.ttl("public, max-age=3600")).isEqualTo(Duration.ofHours(1));
        assertThat(WellKnownLookup.ttl("max-age=1")).isEqualTo(Duration.ofMinutes(5));
        assertThat(WellKnownLookup.ttl("max-age=99999999999999999")).isEqualTo(Duration.ofHours(48));
        assertThat(WellKnownLookup.failureTtl(1)).isEqualTo(Duration.ofMinutes(2));
        assertThat(WellKnownLookup.failureTtl(3)).isEqualTo(Duration.ofMinutes(8));
        assertThat(WellKnownLookup.failureTtl(40)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void srvTargetsAreOrderedByPriority() {
        List<SrvTarget> ordered = DnsLookups.ordered(List.of(new SrvTarget("c", 3, 30, 5), new SrvTarget("a", 1, 10, 5),
                new SrvTarget("b", 2, 20, 5)));
        assertThat(ordered).extracting(SrvTarget::host).containsExactly("a", "b", "c");
    }

    @Test
    void aNameDnsDoesNotKnowIsTellableFromAServerThatCannotBeReached() {
        assertThatThrownBy(() -> client.get(ServerName.parse("nowhere.test:8448"), "/_matrix/key/v2/server")
                .block(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> assertThat(e.noSuchHost()).isTrue());
        assertThatThrownBy(() -> client.get(ServerName.parse("127.0.0.1:1"), "/_matrix/key/v2/server")
                .block(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> assertThat(e.noSuchHost()).isFalse());
    }
}
