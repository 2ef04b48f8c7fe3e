package org.myelin.clientapi.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.myelin.federation.protocol.filter.Filter;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The long-polls in flight, per access token. A poll identical to one in flight (same token, {@code since},
 * filter, state section) joins it instead of computing again, as Synapse's sync response cache does: a client
 * that opens the same poll a thousand times costs one poll. A token holds at most {@code maxPerToken} different
 * polls; opening one more cuts the oldest short, so it answers at once with its (empty) result and a fresh token,
 * as at its timeout.
 *
 * <p>A shared poll runs as long as one of its joiners waits: when the last one goes away, it is cancelled.
 */
public final class SyncPolls {

    /** What makes two polls the same. */
    public record Key(long accessTokenId, SyncToken since, Filter filter, StateSection stateSection) {
    }

    private final int maxPerToken;
    private final Map<Key, Poll> inFlight = new HashMap<>();
    private final Map<Long, LinkedHashSet<Poll>> byToken = new HashMap<>();

    public SyncPolls(int maxPerToken) {
        if (maxPerToken < 1) {
            throw new IllegalArgumentException("maxPerToken must be at least 1, not " + maxPerToken);
        }
        this.maxPerToken = maxPerToken;
    }

    /**
     * The result of the poll {@code key}: joins the one in flight, or starts {@code poll} (given the signal that
     * cuts it short) and shares it with those that join later.
     */
    public Mono<SyncResult> join(Key key, Function<Mono<Void>, Mono<SyncResult>> poll) {
        return Mono.defer(() -> {
            List<Poll> cut = new ArrayList<>();
            Poll shared;
            boolean started;
            synchronized (this) {
                shared = inFlight.get(key);
                started = shared == null;
                if (started) {
                    shared = new Poll(key);
                    inFlight.put(key, shared);
                    LinkedHashSet<Poll> ofToken = byToken.computeIfAbsent(key.accessTokenId(),
                            t -> new LinkedHashSet<>());
                    ofToken.add(shared);
                    while (ofToken.size() > maxPerToken) {
                        Poll oldest = ofToken.iterator().next();
                        ofToken.remove(oldest);
                        cut.add(oldest);
                    }
                }
                shared.joiners++;
            }
            cut.forEach(Poll::cutShort);
            if (started) {
                shared.start(poll);
            }
            Poll joined = shared;
            return joined.result.asMono().doFinally(signal -> leave(joined));
        });
    }

    /** How many distinct polls are in flight (for metrics and tests). */
    public synchronized int inFlight() {
        return inFlight.size();
    }

    private void leave(Poll poll) {
        boolean last;
        synchronized (this) {
            last = --poll.joiners == 0;
            if (last) {
                forget(poll);
            }
        }
        if (last) {
            poll.cancel();
        }
    }

    private synchronized void finished(Poll poll) {
        forget(poll);
    }

    /** Called with the monitor held. */
    private void forget(Poll poll) {
        inFlight.remove(poll.key, poll);
        LinkedHashSet<Poll> ofToken = byToken.get(poll.key.accessTokenId());
        if (ofToken != null) {
            ofToken.remove(poll);
            if (ofToken.isEmpty()) {
                byToken.remove(poll.key.accessTokenId());
            }
        }
    }

    /** One poll and everyone waiting for it. */
    private final class Poll {
        private final Key key;
        private final Sinks.One<SyncResult> result = Sinks.one();
        private final Sinks.Empty<Void> cut = Sinks.empty();
        private int joiners;
        private Disposable running;
        private boolean cancelled;

        Poll(Key key) {
            this.key = key;
        }

        void start(Function<Mono<Void>, Mono<SyncResult>> poll) {
            Disposable subscription = poll.apply(cut.asMono())
                    .doFinally(signal -> finished(this))
                    .subscribe(result::tryEmitValue, result::tryEmitError, result::tryEmitEmpty);
            boolean cancelledMeanwhile;
            synchronized (SyncPolls.this) {
                running = subscription;
                cancelledMeanwhile = cancelled;
            }
            if (cancelledMeanwhile) {
                subscription.dispose();
            }
        }

        void cutShort() {
            cut.tryEmitEmpty();
        }

        void cancel() {
            Disposable subscription;
            synchronized (SyncPolls.this) {
                cancelled = true;
                subscription = running;
            }
            if (subscription != null) {
                subscription.dispose();
            }
        }
    }
}
