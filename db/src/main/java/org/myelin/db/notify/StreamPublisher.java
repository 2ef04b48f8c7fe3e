package org.myelin.db.notify;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Publishes {@link StreamPosition}s to every node with {@code SELECT pg_notify(channel, payload)}.
 *
 * <p>The statement runs on the caller's connection: inside {@link Database#inTransaction} it joins that
 * transaction, so PostgreSQL delivers it at COMMIT and drops it on ROLLBACK (write the data and publish its
 * position in the same transaction: a listener then never wakes before the data is visible). Outside a
 * transaction it is delivered at once. Identical payloads within one transaction are delivered once.
 */
public final class StreamPublisher {

    private static final String NOTIFY = "SELECT pg_notify(:channel, :payload)";

    private final Database db;
    private final String channel;

    public StreamPublisher(Database db, String channel) {
        this.db = db;
        this.channel = StreamNotifier.checkChannel(channel);
    }

    /** Notifies every listening node (this one included) that {@code position} was reached. */
    public Mono<Void> publish(StreamPosition position) {
        if (position.isResync()) {
            return Mono.error(new IllegalArgumentException("resync is emitted by listeners, never published"));
        }
        return db.one(db.sql(NOTIFY).bind("channel", channel).bind("payload", position.toPayload()), r -> true)
                .then();
    }
}
