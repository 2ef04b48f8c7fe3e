package org.myelin.federation.server.client;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;

/**
 * Turns a server name into a {@link Destination}, in the order of the server-server API's "Resolving server
 * names" (its step numbers are in the code). Results that needed a well-known lookup are kept as long as that
 * lookup's result is.
 */
final class ServerNameResolver {

    static final int DEFAULT_PORT = 8448;

    private record Cached(Destination destination, long expiresAtMs) {
    }

    private final WellKnownLookup wellKnown;
    private final DnsLookups dns;
    private final Clock clock;
    private final Map<ServerName, Cached> cache = new ConcurrentHashMap<>();

    ServerNameResolver(WellKnownLookup wellKnown, DnsLookups dns, Clock clock) {
        this.wellKnown = wellKnown;
        this.dns = dns;
        this.clock = clock;
    }

    Mono<Destination> resolve(ServerName server) {
        String host = server.host();
        // 1. An IP literal: that address, the given port or 8448; the certificate must be for the address.
        if (server.hostIsIpLiteral()) {
            return Mono.just(new Destination(host, host, server.port().orElse(DEFAULT_PORT), server.value()));
        }
        // 2. A hostname with an explicit port: its addresses and that port.
        if (server.port().isPresent()) {
            return Mono.just(new Destination(host, host, server.port().getAsInt(), server.value()));
        }
        Cached cached = cache.get(server);
        if (cached != null && cached.expiresAtMs() > clock.millis()) {
            return Mono.just(cached.destination());
        }
        // 3. /.well-known/matrix/server on the hostname.
        return wellKnown.lookup(host).flatMap(result -> result.delegated()
                        .map(this::delegated)
                        // 4–6. No usable well-known: SRV on the hostname, else the hostname on 8448.
                        .orElseGet(() -> bySrv(host))
                        .doOnNext(d -> cache.put(server, new Cached(d, result.expiresAtMs()))));
    }

    private Mono<Destination> delegated(ServerName delegated) {
        String host = delegated.host();
        // 3.1 A delegated IP literal, with its port or 8448; Host is the delegated name as given.
        if (delegated.hostIsIpLiteral()) {
            return Mono.just(new Destination(host, host, delegated.port().orElse(DEFAULT_PORT), delegated.value()));
        }
        // 3.2 A delegated hostname with a port.
        if (delegated.port().isPresent()) {
            return Mono.just(new Destination(host, host, delegated.port().getAsInt(), delegated.value()));
        }
        // 3.3–3.5 SRV on the delegated hostname, else the delegated hostname on 8448.
        return bySrv(host);
    }

    /** SRV {@code _matrix-fed._tcp} then the deprecated {@code _matrix._tcp}; else the host itself on 8448. */
    private Mono<Destination> bySrv(String host) {
        return srv("_matrix-fed._tcp." + host)
                .switchIfEmpty(srv("_matrix._tcp." + host))
                .map(target -> new Destination(host, target.host(), target.port(), host))
                .defaultIfEmpty(new Destination(host, host, DEFAULT_PORT, host));
    }

    private Mono<SrvTarget> srv(String name) {
        return dns.srv(name).onErrorReturn(List.of()).flatMap(targets -> Mono.justOrEmpty(targets.stream().findFirst()));
    }
}
