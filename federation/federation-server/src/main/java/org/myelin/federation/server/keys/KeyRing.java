package org.myelin.federation.server.keys;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.myelin.db.federation.ServerKeyRepository;
import org.myelin.db.federation.StoredKey;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.keys.PublishedKey;
import org.myelin.federation.protocol.keys.ServerKeyDocument;
import org.myelin.federation.server.client.FederationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every server's verification keys, for checking request and event signatures: this server's own, then those
 * stored in PostgreSQL, then fetched from the server itself ({@code GET /_matrix/key/v2/server}) and, failing that,
 * through the configured notaries ({@code MYELIN_TRUSTED_KEY_SERVERS}, {@code POST /_matrix/key/v2/query}). Fetched
 * documents are checked ({@link ServerKeyDocument}) before anything is stored; a current key is trusted at most
 * 7 days past its fetch, as the spec caps {@code valid_until_ts}. Concurrent lookups of one server share one
 * fetch, and a server is not asked again within {@link #REFETCH_INTERVAL} of a fetch that did not have the key.
 * Keys read from PostgreSQL are kept in memory too (at most {@link #CACHED_KEYS}), so checking the thousands of
 * events of a room being joined reads each server's key once; a kept key that is not valid at the time asked about
 * is looked up again, and a server's kept keys are dropped when its keys are fetched anew. {@link #prefetch} fetches
 * the keys of many servers at once, a few in parallel.
 */
public final class KeyRing {

    /** The spec's cap on how far into the future a fetched key counts as valid. */
    static final Duration MAX_VALIDITY = Duration.ofDays(7);
    static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);
    /** How many stored keys are kept in memory; past that the cache starts over. */
    static final int CACHED_KEYS = 10_000;
    /** How many servers {@link #prefetch} asks at once. */
    static final int PREFETCH_CONCURRENCY = 16;
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final String SERVER_PATH = "/_matrix/key/v2/server";
    private static final String QUERY_PATH = "/_matrix/key/v2/query";

    private final ServerKeys own;
    private final ServerKeyRepository repository;
    private final FederationClient client;
    private final List<ServerName> notaries;
    private final Scheduler cpu;
    private final Clock clock;
    private final Map<ServerName, Mono<Void>> fetching = new ConcurrentHashMap<>();
    private final Map<ServerName, Long> lastFetch = new ConcurrentHashMap<>();
    private final Map<ServerName, Map<KeyId, StoredKey>> cached = new ConcurrentHashMap<>();
    private final AtomicInteger cachedCount = new AtomicInteger();

    public KeyRing(ServerKeys own, ServerKeyRepository repository, FederationClient client, List<ServerName> notaries,
                   Scheduler cpu, Clock clock) {
        this.own = own;
        this.repository = repository;
        this.client = client;
        this.notaries = List.copyOf(notaries);
        this.cpu = cpu;
        this.clock = clock;
    }

    /**
     * The key {@code server} published as {@code keyId} that may check a signature made at {@code atTs}; with
     * {@code enforceValidity} false (room versions 1–4) any key ever published under that ID. Empty when no source
     * has it.
     */
    public Mono<Optional<VerifyKey>> find(ServerName server, KeyId keyId, long atTs, boolean enforceValidity) {
        if (server.equals(own.serverName())) {
            return Mono.just(own.published(keyId).filter(k -> k.usableAt(atTs, enforceValidity)).map(PublishedKey::key));
        }
        return stored(server, keyId, atTs, enforceValidity).flatMap(found -> found.isPresent() ? Mono.just(found)
                : refresh(server).then(stored(server, keyId, atTs, enforceValidity)));
    }

    /**
     * {@code server}'s key document valid until at least {@code minimumValidTs}, for serving as a notary:
     * the stored one, else fetched directly. An older stored one is returned if the server cannot be reached.
     */
    public Mono<Optional<ObjectNode>> document(ServerName server, long minimumValidTs) {
        if (server.equals(own.serverName())) {
            return Mono.just(Optional.of(own.document()));
        }
        return repository.document(server.value(), minimumValidTs).flatMap(found -> found.isPresent()
                ? Mono.just(found)
                : fetchDirectly(server).onErrorResume(e -> Mono.empty()).then(repository.document(server.value(), 0)))
                .map(text -> text.map(t -> CanonicalJson.parseObject(t.getBytes(StandardCharsets.UTF_8),
                        CanonicalJson.Mode.LENIENT)));
    }

    /**
     * Fetches the keys of those of {@code servers} whose stored key document is no longer valid, or that have none
     * (at most {@link #PREFETCH_CONCURRENCY} at a time), before checking many events they signed; a server that
     * cannot be reached is left for {@link #find} to report.
     */
    public Mono<Void> prefetch(Collection<ServerName> servers) {
        return Flux.fromIterable(servers).filter(server -> !server.equals(own.serverName()))
                .flatMap(server -> repository.document(server.value(), clock.millis())
                        .flatMap(stored -> stored.isPresent() ? Mono.<Void>empty() : refresh(server))
                        .onErrorResume(e -> Mono.empty()), PREFETCH_CONCURRENCY)
                .then();
    }

    private Mono<Optional<VerifyKey>> stored(ServerName server, KeyId keyId, long atTs, boolean enforceValidity) {
        StoredKey kept = cached.getOrDefault(server, Map.of()).get(keyId);
        if (kept != null && usable(kept, atTs, enforceValidity)) {
            return Mono.just(Optional.of(VerifyKey.fromBase64(keyId, kept.publicKey())));
        }
        return repository.find(server.value(), keyId.toString()).map(row -> {
            row.ifPresent(k -> keep(server, keyId, k));
            return row.filter(k -> usable(k, atTs, enforceValidity))
                    .map(k -> VerifyKey.fromBase64(keyId, k.publicKey()));
        });
    }

    private static boolean usable(StoredKey key, long atTs, boolean enforceValidity) {
        return !enforceValidity || key.validUntilTs() >= atTs;
    }

    private void keep(ServerName server, KeyId keyId, StoredKey key) {
        if (cachedCount.incrementAndGet() > CACHED_KEYS) {
            cached.clear();
            cachedCount.set(1);
        }
        cached.computeIfAbsent(server, s -> new ConcurrentHashMap<>()).put(keyId, key);
    }

    /** Fetches {@code server}'s keys unless that was just done; shares one fetch among concurrent callers. */
    private Mono<Void> refresh(ServerName server) {
        Long last = lastFetch.get(server);
        if (last != null && clock.millis() - last < REFETCH_INTERVAL.toMillis()) {
            return Mono.empty();
        }
        return fetching.computeIfAbsent(server, s -> fetchDirectly(s)
                .onErrorResume(e -> {
                    LOG.info("Could not fetch the keys of {} directly: {}", s, e.getMessage());
                    return viaNotaries(s);
                })
                .doFinally(signal -> {
                    lastFetch.put(s, clock.millis());
                    fetching.remove(s);
                })
                .cache());
    }

    private Mono<Void> fetchDirectly(ServerName server) {
        return client.getUnsigned(server, SERVER_PATH)
                .publishOn(cpu)
                .map(json -> ServerKeyDocument.verify(json, server))
                .flatMap(this::save);
    }

    private Mono<Void> viaNotaries(ServerName server) {
        return Flux.fromIterable(notaries).filter(n -> !n.equals(server))
                .concatMap(notary -> askNotary(notary, server).onErrorResume(e -> {
                    LOG.info("The notary {} gave no keys of {}: {}", notary, server, e.getMessage());
                    return Mono.empty();
                }))
                .next().then();
    }

    private Mono<Boolean> askNotary(ServerName notary, ServerName server) {
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        query.putObject("server_keys").putObject(server.value());
        Mono<List<VerifyKey>> notaryKeys = client.getUnsigned(notary, SERVER_PATH).publishOn(cpu)
                .map(json -> currentKeys(ServerKeyDocument.verify(json, notary)));
        return notaryKeys.zipWith(client.send(notary, "POST", QUERY_PATH, query))
                .publishOn(cpu)
                .flatMap(both -> {
                    List<ServerKeyDocument> docs = new ArrayList<>();
                    for (JsonNode entry : both.getT2().path("server_keys")) {
                        ServerKeyDocument doc = ServerKeyDocument.verify(entry, server);
                        doc.requireNotarySignature(notary, both.getT1());
                        docs.add(doc);
                    }
                    return Flux.fromIterable(docs).concatMap(this::save).then(Mono.just(!docs.isEmpty()));
                })
                .filter(Boolean::booleanValue);
    }

    private static List<VerifyKey> currentKeys(ServerKeyDocument doc) {
        return doc.keys().values().stream().filter(k -> k.expiredTs().isEmpty()).map(PublishedKey::key).toList();
    }

    private Mono<Void> save(ServerKeyDocument doc) {
        long now = clock.millis();
        long cap = now + MAX_VALIDITY.toMillis();
        List<StoredKey> keys = doc.keys().values().stream().map(k -> new StoredKey(doc.server().value(),
                k.key().keyId().toString(), k.key().toBase64(), k.expiredTs().isPresent() ? k.validUntilTs()
                : Math.min(k.validUntilTs(), cap), k.expiredTs().isPresent() ? k.expiredTs().getAsLong() : null))
                .toList();
        return repository.save(doc.server().value(), CanonicalJson.encodeToString(doc.json(), CanonicalJson.Mode.LENIENT),
                doc.validUntilTs(), keys, now).doOnSuccess(done -> cached.remove(doc.server()));
    }
}
