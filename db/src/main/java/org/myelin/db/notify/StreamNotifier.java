package org.myelin.db.notify;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import reactor.core.Disposable;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * This node's ear for {@link StreamPublisher}s on every node: one dedicated connection (never from the pool, which
 * would hand a LISTENing connection to someone else) runs {@code LISTEN channel}, and each notification is fanned
 * out to the subscribers of {@link #positions()}.
 *
 * <p>When the connection fails (server restart, {@code pg_terminate_backend}, network loss caught by a periodic
 * {@code SELECT 1}), it reconnects with exponential backoff, LISTENs again and emits
 * {@link StreamPosition#resync()}, because notifications sent in the gap are lost. A resync is also emitted each
 * time listening starts, the first time included.
 *
 * <p>Subscribers never hold the listener up: each has its own bounded buffer; when it overflows the oldest
 * positions are dropped and a resync is delivered before the next one. Subscribers run on {@code scheduler}.
 */
public final class StreamNotifier {

    /** How the notifier listens and recovers. */
    public record Settings(String channel, Duration timeout, Duration minBackoff, Duration maxBackoff,
            Duration probeInterval, int subscriberBuffer) {

        /** The channel Myelin uses, with the given statement timeout and sensible recovery settings. */
        public static Settings defaults(Duration timeout) {
            return new Settings(DEFAULT_CHANNEL, timeout, Duration.ofMillis(100), Duration.ofSeconds(10),
                    Duration.ofSeconds(30), 64);
        }
    }

    /** The channel every Myelin node LISTENs on. */
    public static final String DEFAULT_CHANNEL = "myelin_streams";

    private static final Logger LOG = LoggerFactory.getLogger(StreamNotifier.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int HANDOFF_PREFETCH = 8;

    private final PostgresqlConnectionFactory connections;
    private final Settings settings;
    private final Scheduler scheduler;
    private final Sinks.Many<StreamPosition> sink = Sinks.many().multicast().directBestEffort();
    private Disposable listening;

    /**
     * @param connections a non-pooled factory; the notifier keeps one of its connections open while running
     * @param scheduler   where subscribers receive positions, so none runs on the listener's event loop
     */
    public StreamNotifier(PostgresqlConnectionFactory connections, Settings settings, Scheduler scheduler) {
        checkChannel(settings.channel());
        this.connections = connections;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    /** Starts listening in the background (connecting, and reconnecting, until {@link #stop()}). */
    public synchronized void start() {
        if (listening != null && !listening.isDisposed()) {
            return;
        }
        listening = Flux.defer(this::session)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.minBackoff()).maxBackoff(settings.maxBackoff())
                        .transientErrors(true)
                        .doBeforeRetry(s -> LOG.warn("Lost the LISTEN connection on {} ({}); reconnecting",
                                settings.channel(), s.failure().toString())))
                .subscribe(this::emit, e -> LOG.error("Stream notifier stopped for good", e));
    }

    /** Stops listening and closes the connection; subscribers stay subscribed and hear again after a restart. */
    public synchronized void stop() {
        if (listening != null) {
            listening.dispose();
            listening = null;
        }
    }

    public synchronized boolean isRunning() {
        return listening != null && !listening.isDisposed();
    }

    /**
     * Every position published on any node from now on, plus resync signals. Hot: positions published before
     * subscribing are not replayed, so read the current positions after subscribing, not before.
     */
    public Flux<StreamPosition> positions() {
        return Flux.defer(() -> {
            AtomicBoolean overflowed = new AtomicBoolean();
            return sink.asFlux()
                    .onBackpressureBuffer(settings.subscriberBuffer(), dropped -> overflowed.set(true),
                            BufferOverflowStrategy.DROP_OLDEST)
                    .concatMapIterable(p -> overflowed.getAndSet(false) ? List.of(StreamPosition.resync(), p)
                            : List.of(p), 1)
                    .publishOn(scheduler, HANDOFF_PREFETCH);
        });
    }

    /** The channel name, checked: it is spliced into {@code LISTEN}, which takes no bind parameters. */
    static String checkChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("Invalid NOTIFY channel name: " + channel);
        }
        return channel;
    }

    /** One connection's life: LISTEN, then notifications until the connection fails (always ends in an error). */
    private Flux<StreamPosition> session() {
        return Flux.usingWhen(connections.create().timeout(settings.timeout()), this::listen,
                PostgresqlConnection::close);
    }

    private Flux<StreamPosition> listen(PostgresqlConnection c) {
        // Subscribe to notifications before LISTEN runs: the driver drops those that arrive with no subscriber.
        Flux<StreamPosition> notifications = c.getNotifications()
                .filter(n -> settings.channel().equals(n.getName()))
                .<StreamPosition>handle((n, out) -> {
                    StreamPosition p = StreamPosition.fromPayload(n.getParameter());
                    if (p == null) {
                        LOG.warn("Ignoring a malformed notification on {}: {}", settings.channel(), n.getParameter());
                    } else {
                        out.next(p);
                    }
                })
                .concatWith(Mono.error(() -> new IllegalStateException("the LISTEN connection closed")));
        Mono<StreamPosition> listening = c.createStatement("LISTEN " + settings.channel()).execute()
                .flatMap(PostgresqlResult::getRowsUpdated).then()
                .timeout(settings.timeout())
                .then(Mono.fromSupplier(() -> {
                    LOG.info("Listening for stream positions on channel {}", settings.channel());
                    return StreamPosition.resync();
                }));
        Flux<StreamPosition> probes = Flux.interval(settings.probeInterval())
                .concatMap(tick -> c.createStatement("SELECT 1").execute()
                        .flatMap(r -> r.map((row, meta) -> 1)).then().timeout(settings.timeout()))
                .thenMany(Flux.empty());
        return Flux.merge(notifications, listening.concatWith(probes));
    }

    /** Called only from the one listening chain, so emissions never race. */
    private void emit(StreamPosition position) {
        sink.tryEmitNext(position);
    }
}
