package org.myelin.clientapi.sync;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs at most {@code slots} pieces of work at once and queues the rest fairly between owners (users), first come
 * first served within an owner. Each piece of work gets a turn number when it arrives: the turn being served now
 * for an owner with nothing waiting or running, else one after that owner's last piece; the lowest turn runs next
 * (arrival order breaks ties). So one user with a thousand pending /sync computations delays another user's by at
 * most one turn, and computations never hold more database connections than the slots allow (the rest of the pool
 * stays free for sends and other requests).
 *
 * <p>A queued piece of work whose subscriber cancels (the client went away) leaves the queue; a running one is
 * cancelled and its slot freed.
 */
public final class FairGate {

    private final int slots;
    private final PriorityQueue<Entry<?>> waiting = new PriorityQueue<>(
            Comparator.<Entry<?>>comparingLong(e -> e.turn).thenComparingLong(e -> e.arrival));
    /** Per owner with waiting or running work: the turn of its last piece and how many pieces wait or run. */
    private final Map<String, long[]> backlog = new HashMap<>();
    private long servingTurn;
    private long arrivals;
    private int running;

    public FairGate(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, not " + slots);
        }
        this.slots = slots;
    }

    /** {@code work}, run when a slot is free and it is {@code owner}'s turn. */
    public <T> Mono<T> submit(String owner, Mono<T> work) {
        return Mono.create(sink -> {
            Entry<T> entry = new Entry<>(owner, work, sink);
            sink.onCancel(() -> cancel(entry));
            enqueue(entry);
            drain();
        });
    }

    /** How many pieces of work run now. */
    public synchronized int running() {
        return running;
    }

    /** How many pieces of work wait for a slot. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void enqueue(Entry<?> entry) {
        long[] owner = backlog.get(entry.owner);
        if (owner == null) {
            owner = new long[] {servingTurn - 1, 0};
            backlog.put(entry.owner, owner);
        }
        owner[0] = Math.max(servingTurn, owner[0] + 1);
        owner[1]++;
        entry.turn = owner[0];
        entry.arrival = arrivals++;
        waiting.add(entry);
    }

    /** Called with the monitor held, when {@code entry} leaves the queue unstarted or finishes. */
    private void dequeued(Entry<?> entry) {
        long[] owner = backlog.get(entry.owner);
        if (--owner[1] == 0) {
            backlog.remove(entry.owner);
        }
    }

    private void drain() {
        Entry<?> next;
        while ((next = take()) != null) {
            next.start();
        }
    }

    /** The next entry to run, its slot taken; null when none waits or no slot is free. */
    private synchronized Entry<?> take() {
        if (running >= slots || waiting.isEmpty()) {
            return null;
        }
        Entry<?> entry = waiting.poll();
        servingTurn = Math.max(servingTurn, entry.turn);
        running++;
        entry.state = State.RUNNING;
        return entry;
    }

    private void cancel(Entry<?> entry) {
        Disposable runningWork = null;
        synchronized (this) {
            if (entry.state == State.WAITING) {
                if (waiting.remove(entry)) {
                    dequeued(entry);
                }
                entry.state = State.DONE;
            } else if (entry.state == State.RUNNING) {
                entry.cancelled = true;
                runningWork = entry.subscription;
            }
        }
        if (runningWork != null) {
            runningWork.dispose();
        }
    }

    private void finished(Entry<?> entry) {
        synchronized (this) {
            if (entry.state == State.DONE) {
                return;
            }
            entry.state = State.DONE;
            dequeued(entry);
            running--;
        }
        drain();
    }

    private enum State { WAITING, RUNNING, DONE }

    /** One piece of work and the subscriber waiting for it. */
    private final class Entry<T> {
        private final String owner;
        private final Mono<T> work;
        private final MonoSink<T> sink;
        private State state = State.WAITING;
        private long turn;
        private long arrival;
        private Disposable subscription;
        private boolean cancelled;

        Entry(String owner, Mono<T> work, MonoSink<T> sink) {
            this.owner = owner;
            this.work = work;
            this.sink = sink;
        }

        void start() {
            Disposable started = work.doFinally(signal -> finished(this))
                    .subscribe(sink::success, sink::error, sink::success);
            boolean cancelledMeanwhile;
            synchronized (FairGate.this) {
                subscription = started;
                cancelledMeanwhile = cancelled;
            }
            if (cancelledMeanwhile) {
                started.dispose();
            }
        }
    }
}
