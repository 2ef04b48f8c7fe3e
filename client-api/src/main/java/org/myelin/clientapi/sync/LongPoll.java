package org.myelin.clientapi.sync;

import java.time.Duration;
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
 * resync) triggers a new attempt; the timeout answers with the last, empty, result and its fresh token. Cancelling
 * the returned Mono (the client went away) drops the subscription.
 */
@Component
public class LongPoll {

    /** Positions kept while a response is computed; more than that in one computation is followed by resync. */
    private static final int KEPT = 256;

    private final StreamNotifier notifier;

    public LongPoll(StreamNotifier notifier) {
        this.notifier = notifier;
    }

    /**
     * Computes until a result is not empty or {@code timeout} has passed.
     *
     * @param relevant whether a position may change the answer for the user of that (empty) result
     */
    public Mono<SyncResult> await(Supplier<Mono<SyncResult>> compute, Duration timeout,
            BiPredicate<StreamPosition, SyncResult> relevant) {
        return attempt(compute, System.nanoTime() + timeout.toNanos(), relevant);
    }

    private Mono<SyncResult> attempt(Supplier<Mono<SyncResult>> compute, long deadline,
            BiPredicate<StreamPosition, SyncResult> relevant) {
        return Mono.defer(() -> {
            ConnectableFlux<StreamPosition> wakeUps = notifier.positions().replay(KEPT);
            Disposable connection = wakeUps.connect();
            return compute.get().flatMap(result -> {
                long remaining = deadline - System.nanoTime();
                if (!result.empty() || remaining <= 0) {
                    return Mono.just(result);
                }
                return wakeUps.filter(p -> p.isResync() || relevant.test(p, result)).next()
                        .map(p -> true)
                        .timeout(Duration.ofNanos(remaining), Mono.just(false))
                        .doFinally(signal -> connection.dispose())
                        .flatMap(woken -> woken ? attempt(compute, deadline, relevant) : Mono.just(result));
            }).doFinally(signal -> connection.dispose());
        });
    }
}
