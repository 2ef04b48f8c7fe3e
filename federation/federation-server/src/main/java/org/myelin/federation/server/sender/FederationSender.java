package org.myelin.federation.server.sender;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.db.federation.DestinationRepository;
import org.myelin.db.federation.DestinationRepository.PendingEdu;
import org.myelin.db.federation.DestinationRepository.PendingEvent;
import org.myelin.db.notify.StreamPosition;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends this server's events to the other servers in their rooms (server-server API "Transactions"). Where each
 * destination stands, and the EDUs queued for it ({@link EduQueue}), are kept in PostgreSQL ({@link DestinationRepository}), so a restart resumes where delivery
 * stopped and an outage is caught up on afterwards, oldest event first. A node sends to a destination only while
 * it holds that destination's lease, at most one transaction of {@link #MAX_PDUS} PDUs and {@link #MAX_EDUS}
 * EDUs in flight; a node that dies
 * lets its leases run out and another continues. Failures back off exponentially up to {@link #MAX_BACKOFF}.
 * It runs on every wake-up of the events stream and at least every {@link #TICK}.
 */
public final class FederationSender {

    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;
    static final Duration TICK = Duration.ofSeconds(1);
    static final long DISCOVER_EVERY_TICKS = 30;
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(FederationSender.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServerName self;
    private final DestinationRepository destinations;
    private final FederationClient client;
    private final Flux<StreamPosition> wakeUps;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString();
    private final Set<String> sending = ConcurrentHashMap.newKeySet();
    private Disposable running;

    public FederationSender(ServerName self, DestinationRepository destinations, FederationClient client,
                            Flux<StreamPosition> wakeUps, Clock clock) {
        this.self = self;
        this.destinations = destinations;
        this.client = client;
        this.wakeUps = wakeUps;
        this.clock = clock;
    }

    public synchronized void start() {
        if (running != null) {
            return;
        }
        Flux<Object> triggers = Flux.merge(Flux.interval(TICK),
                wakeUps.filter(p -> p.isResync() || "events".equals(p.stream())));
        running = triggers.onBackpressureDrop()
                .concatMap(trigger -> round(trigger instanceof StreamPosition
                        || ((Long) trigger) % DISCOVER_EVERY_TICKS == 0).onErrorResume(e -> {
                    LOG.warn("A federation sending round failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    /**
     * Finds new destinations (after a wake-up, which a join causes, and every {@link #DISCOVER_EVERY_TICKS} ticks
     * for wake-ups a lost connection missed), then starts delivery to each due one not already served here.
     */
    private Mono<Void> round(boolean discover) {
        return (discover ? destinations.discover(self.value()) : Mono.<Long>empty())
                .then(destinations.due(node, clock.millis()))
                .doOnNext(due -> due.stream().filter(sending::add).forEach(d -> deliver(d)
                        .doFinally(signal -> sending.remove(d))
                        .subscribe(null, e -> LOG.warn("Delivery to {} failed: {}", d, e.toString()))))
                .then();
    }

    /**
     * Sends transactions to {@code destination} while it has events pending and accepts them; a failure puts it
     * in backoff, which ends the loop (the lease is refused until the backoff is over).
     */
    private Mono<Void> deliver(String destination) {
        long now = clock.millis();
        return destinations.lease(destination, node, now, now + LEASE.toMillis())
                .flatMap(lease -> destinations.pending(destination, self.value(), lease.lastSentStream(), MAX_PDUS)
                        .zipWith(destinations.pendingEdus(destination, MAX_EDUS))
                        .flatMap(work -> work.getT1().isEmpty() && work.getT2().isEmpty()
                                ? destinations.release(destination, node)
                                : send(destination, lease.txnCounter(), work.getT1(), work.getT2())
                                        .then(Mono.defer(() -> deliver(destination)))));
    }

    /** Sends pending work to this node's destinations now rather than at the next tick. */
    public void wake() {
        Disposable current;
        synchronized (this) {
            current = running;
        }
        if (current != null) {
            round(false).subscribe(null, e -> LOG.warn("A federation sending round failed: {}", e.toString()));
        }
    }

    private Mono<Void> send(String destination, long txnCounter, List<PendingEvent> events, List<PendingEdu> edus) {
        ObjectNode txn = JsonNodeFactory.instance.objectNode().put("origin", self.value())
                .put("origin_server_ts", clock.millis());
        ArrayNode pdus = txn.putArray("pdus");
        events.forEach(e -> pdus.add(JSON.readTree(e.json())));
        ArrayNode eduList = txn.putArray("edus");
        edus.forEach(e -> eduList.addObject().put("edu_type", e.type()).set("content", JSON.readTree(e.content())));
        String path = "/_matrix/federation/v1/send/" + FederationClient.segment(node.substring(0, 8) + "-" + txnCounter);
        Mono<Void> deliveredEvents = events.isEmpty() ? Mono.empty()
                : destinations.delivered(destination, node, events.get(events.size() - 1).streamOrdering());
        Mono<Void> deliveredEdus = edus.isEmpty() ? Mono.empty()
                : destinations.edusDelivered(destination, edus.get(edus.size() - 1).id());
        return client.send(ServerName.parse(destination), "PUT", path, txn)
                .then(deliveredEvents).then(deliveredEdus)
                .onErrorResume(e -> destinations.failed(destination, node, clock.millis(), FIRST_BACKOFF.toMillis(),
                        MAX_BACKOFF.toMillis())
                        .doOnNext(failures -> LOG.info("Sending to {} failed ({} in a row): {}", destination,
                                failures, e.getMessage()))
                        .then());
    }
}
