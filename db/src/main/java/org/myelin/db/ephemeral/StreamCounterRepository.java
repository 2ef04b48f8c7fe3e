package org.myelin.db.ephemeral;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * The position counters of the ephemeral streams ({@code stream_positions}). Advancing locks the stream's row until
 * the transaction ends, so the stream's writers commit in position order, and a reader sees a position only once
 * everything written under it is visible.
 */
public final class StreamCounterRepository {

    private static final String ADVANCE = "UPDATE stream_positions SET position = position + :count "
            + "WHERE stream = :stream RETURNING position";
    private static final String CURRENT = "SELECT position FROM stream_positions WHERE stream = :stream";

    private final Database db;

    public StreamCounterRepository(Database db) {
        this.db = db;
    }

    /**
     * Hands out {@code count} new positions and emits the highest; the caller owns {@code (highest - count,
     * highest]}. Must run inside the transaction that writes the rows carrying these positions.
     */
    public Mono<Long> advance(String stream, int count) {
        return db.one(db.sql(ADVANCE).bind("count", count).bind("stream", stream), r -> r.longValue("position"))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Unknown stream " + stream)));
    }

    /** The stream's highest committed position. */
    public Mono<Long> current(String stream) {
        return db.one(db.sql(CURRENT).bind("stream", stream), r -> r.longValue("position"))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Unknown stream " + stream)));
    }
}
