package org.myelin.ephemeral;

import java.util.Collection;
import java.util.function.LongFunction;

import org.myelin.db.ephemeral.StreamCounterRepository;
import org.myelin.db.notify.StreamPosition;
import org.myelin.db.notify.StreamPublisher;
import org.myelin.db.support.Database;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes to an ephemeral stream: in one transaction, hands out positions, runs the write and publishes the new
 * position for every room or user the write concerned, so that waiters wake at COMMIT on every node.
 */
@Component
public class StreamWriter {

    private final Database db;
    private final StreamCounterRepository counters;
    private final StreamPublisher publisher;

    public StreamWriter(Database db, StreamCounterRepository counters, StreamPublisher publisher) {
        this.db = db;
        this.counters = counters;
        this.publisher = publisher;
    }

    /**
     * Takes {@code count} positions of {@code stream} and runs {@code write} with the highest; {@code write} emits
     * the scopes (room or user IDs) it changed, and each is published. Emits the highest position.
     */
    public Mono<Long> write(String stream, int count, LongFunction<Mono<? extends Collection<String>>> write) {
        return db.inTransaction(counters.advance(stream, count).flatMap(position -> write.apply(position)
                .flatMapMany(Flux::fromIterable)
                .concatMap(scope -> publisher.publish(StreamPosition.of(stream, position, scope)))
                .then(Mono.just(position))));
    }

    /** The stream's current position, for {@code SyncStreamSource.currentPosition()}. */
    public Mono<Long> current(String stream) {
        return counters.current(stream);
    }
}
