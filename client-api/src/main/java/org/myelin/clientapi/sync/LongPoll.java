package org.myelin.clientapi.sync;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.notify.StreamPosition;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.publisher.ConnectableFlux;
import reactor.core.publisher.Mono;

/**
 * Waits for a /sync to have something (docs/adr/0006-cross-node-wakeups.md). Each attempt subscribes to this
 * node's wake-ups <em>before</em> computing, so a commit that lands while the response is computed is not missed:
 * its position is kept and examined once the computation says there was nothing. A relevant position (or a
 * resync) triggers a new attempt; the timeout, or {@code cutShort} completing, answers with the last, empty, result
 * and its fresh token. Cancelling the returned Mono (the client went away) drops the subscription.
 */
@Component
public class LongPoll {

    /** Positions kept while a response is computed; more than that in one computation is followed by resync. */
    private static final int KEPT = 256;

    private final StreamNotifier notifier;
    private final AtomicInteger parked = new AtomicInteger();

    public LongPoll(StreamNotifier notifier) {
        this.notifier = notifier;
    }

    /**
     * Computes until a result is not empty, {@code timeout} has passed or {@code cutShort} completes.
     *
     * @param relevant whether a position may change the answer for the user of that (empty) result
     */
    public Mono<SyncResult> await(Supplier<Mono<SyncResult>> compute, Duration timeout,
            BiPredicate<StreamPosition, SyncResult> relevant, Mono<Void> cutShort) {
        Mono<Boolean> cut = cutShort.thenReturn(false).cache();
        return attempt(compute, System.nanoTime() + timeout.toNanos(), relevant, cut);
    }

    /** How many polls wait for a wake-up now (not those computing). */
    public int parked() {
        return parked.get();
    }

    private Mono<SyncResult> attempt(Supplier<Mono<SyncResult>> compute, long deadline,
            BiPredicate<StreamPosition, SyncResult> relevant, Mono<Boolean> cut) {
        return Mono.defer(() -> {
            ConnectableFlux<StreamPosition> wakeUps = notifier.positions().replay(KEPT);
            Disposable connection = wakeUps.connect();
            return compute.get().flatMap(result -> {
                long remaining = deadline - System.nanoTime();
                if (!result.empty() || remaining <= 0) {
                    return Mono.just(result);
                }
                Mono<Boolean> woken = wakeUps.filter(p -> p.isResync() || relevant.test(p, result)).next()
                        .map(p -> true);
                return Mono.firstWithSignal(woken, cut)
                        .timeout(Duration.ofNanos(remaining), Mono.just(false))
                        .doOnSubscribe(s -> parked.incrementAndGet())
                        .doFinally(signal -> {
                            parked.decrementAndGet();
                            connection.dispose();
                        })
                        .flatMap(again -> again ? attempt(compute, deadline, relevant, cut) : Mono.just(result));
            }).doFinally(signal -> connection.dispose());
        });
    }
}
