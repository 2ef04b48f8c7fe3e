package org.myelin.clientapi.push;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.notify.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a round of background work on every wake-up of some streams (any node's writes, through the
 * {@link StreamNotifier}) and at least every tick, one round at a time: wake-ups during a round are dropped, since
 * the next round sees their work anyway; a failed round is logged and the next trigger tries again.
 */
public final class WakeUpLoop {

    private static final Logger LOG = LoggerFactory.getLogger(WakeUpLoop.class);

    private final String what;
    private final Duration tick;
    private final StreamNotifier notifier;
    private final Predicate<StreamPosition> wakesUp;
    private Disposable running;

    /** A loop doing {@code what} on each position {@code wakesUp} accepts (and each resync) and every tick. */
    public WakeUpLoop(String what, Duration tick, StreamNotifier notifier, Predicate<StreamPosition> wakesUp) {
        this.what = what;
        this.tick = tick;
        this.notifier = notifier;
        this.wakesUp = wakesUp;
    }

    /** Starts running {@code round} (a no-op when running). */
    public synchronized void start(Supplier<Mono<?>> round) {
        if (running != null) {
            return;
        }
        Flux<Object> triggers = Flux.merge(Flux.interval(tick),
                notifier.positions().filter(p -> p.isResync() || wakesUp.test(p)));
        running = triggers.onBackpressureDrop()
                .concatMap(trigger -> round.get().onErrorResume(e -> {
                    LOG.warn("{} failed; retrying: {}", what, e.toString());
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

    public synchronized boolean isRunning() {
        return running != null;
    }
}
