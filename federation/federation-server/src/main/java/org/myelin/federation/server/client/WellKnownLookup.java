package org.myelin.federation.server.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET https://<hostname>/.well-known/matrix/server} (server-server API "Resolving server names", step 3),
 * cached as the spec recommends: a valid answer for its {@code Cache-Control: max-age} (24 hours when absent,
 * clamped to 5 minutes – 48 hours), a failed one for 2 minutes, doubling with each repeated failure up to an hour.
 * Redirects are followed up to five times, never in a loop, each hop through the same guarded transport.
 */
final class WellKnownLookup {

    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    static final Duration MIN_TTL = Duration.ofMinutes(5);
    static final Duration MAX_TTL = Duration.ofHours(48);
    static final Duration FIRST_FAILURE_TTL = Duration.ofMinutes(2);
    static final Duration MAX_FAILURE_TTL = Duration.ofHours(1);
    private static final int MAX_REDIRECTS = 5;
    private static final String PATH = "/.well-known/matrix/server";
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d+)\"?");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What the lookup found: the delegated server name, or empty when the lookup failed.
     *
     * @param expiresAtMs when to ask again
     * @param failures    how many lookups in a row have failed
     */
    record Result(Optional<ServerName> delegated, long expiresAtMs, int failures) {
    }

    private final HttpsTransport transport;
    private final int port;
    private final Clock clock;
    private final Map<String, Result> cache = new ConcurrentHashMap<>();

    /** @param port where HTTPS is asked, 443 but in tests */
    WellKnownLookup(HttpsTransport transport, int port, Clock clock) {
        this.transport = transport;
        this.port = port;
        this.clock = clock;
    }

    /** The cached or fetched result for {@code hostname}; never fails. */
    Mono<Result> lookup(String hostname) {
        Result cached = cache.get(hostname);
        long now = clock.millis();
        if (cached != null && cached.expiresAtMs() > now) {
            return Mono.just(cached);
        }
        int failures = cached == null || cached.delegated().isPresent() ? 0 : cached.failures();
        return fetch(new Destination(hostname, hostname, port, hostname), PATH, new HashSet<>(), 0)
                .map(found -> new Result(Optional.of(found.delegated()), now + found.ttl().toMillis(), 0))
                .onErrorResume(e -> Mono.just(new Result(Optional.empty(), now + failureTtl(failures + 1).toMillis(),
                        failures + 1)))
                .doOnNext(result -> cache.put(hostname, result));
    }

    private record Found(ServerName delegated, Duration ttl) {
    }

    private Mono<Found> fetch(Destination to, String path, Set<String> visited, int redirects) {
        if (!visited.add(to.hostHeader() + ":" + to.port() + path)) {
            return Mono.error(new IllegalStateException("redirect loop"));
        }
        return transport.send(to, "GET", path, Map.of(), null).flatMap(response -> {
            if (response.status() >= 300 && response.status() < 400 && redirects < MAX_REDIRECTS) {
                return redirect(response, visited, redirects);
            }
            if (response.status() != 200) {
                return Mono.error(new IllegalStateException("status " + response.status()));
            }
            return Mono.fromCallable(() -> new Found(delegated(response.body()),
                    ttl(response.headers().get(HttpHeaderNames.CACHE_CONTROL))));
        });
    }

    private Mono<Found> redirect(RawResponse response, Set<String> visited, int redirects) {
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        URI next = location == null ? null : URI.create(location);
        if (next == null || !"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
            return Mono.error(new IllegalStateException("a redirect to something other than an https URL"));
        }
        int nextPort = next.getPort() == -1 ? port : next.getPort();
        String host = next.getHost();
        String hostHeader = next.getPort() == -1 ? host : host + ":" + next.getPort();
        String path = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
        return fetch(new Destination(host, host, nextPort, hostHeader), path, visited, redirects + 1);
    }

    private static ServerName delegated(byte[] body) {
        JsonNode json = JSON.readTree(body);
        JsonNode server = json.path("m.server");
        if (!server.isString()) {
            throw new IllegalStateException("no m.server string");
        }
        try {
            return ServerName.parse(server.stringValue());
        } catch (MatrixException e) {
            throw new IllegalStateException("m.server is not a server name");
        }
    }

    static Duration ttl(String cacheControl) {
        if (cacheControl == null) {
            return DEFAULT_TTL;
        }
        Matcher m = MAX_AGE.matcher(cacheControl.toLowerCase(Locale.ROOT));
        if (!m.find()) {
            return DEFAULT_TTL;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(m.group(1).length() > 12 ? "999999999999" : m.group(1)));
        return asked.compareTo(MIN_TTL) < 0 ? MIN_TTL : asked.compareTo(MAX_TTL) > 0 ? MAX_TTL : asked;
    }

    static Duration failureTtl(int failures) {
        Duration ttl = FIRST_FAILURE_TTL.multipliedBy(1L << Math.min(failures - 1, 10));
        return ttl.compareTo(MAX_FAILURE_TTL) > 0 ? MAX_FAILURE_TTL : ttl;
    }
}
