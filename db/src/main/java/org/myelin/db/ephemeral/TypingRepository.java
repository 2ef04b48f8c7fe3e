package org.myelin.db.ephemeral;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Typing notifications ({@code typing}): one row per (room, user), kept after the user stops so that the stop has
 * a position. Whether a user types is decided at read time from {@code expires_ts}; the sweep only gives expiries
 * a position so that syncs learn of them.
 */
public final class TypingRepository {

    /** A user typing in a room. */
    public record Typer(String roomId, String userId) {
    }

    private static final String START = """
            INSERT INTO typing (room_id, user_id, active, expires_ts, stream_id)
            VALUES (:roomId, :userId, TRUE, :expires, :stream)
            ON CONFLICT (room_id, user_id) DO UPDATE SET active = TRUE, expires_ts = EXCLUDED.expires_ts,
                stream_id = EXCLUDED.stream_id""";
    private static final String STOP = """
            UPDATE typing SET active = FALSE, expires_ts = LEAST(expires_ts, :now), stream_id = :stream
            WHERE room_id = :roomId AND user_id = :userId AND active""";
    private static final String ANY_DUE = "SELECT EXISTS (SELECT 1 FROM typing WHERE active AND expires_ts <= :now)"
            + " AS due";
    private static final String SWEEP = """
            UPDATE typing SET active = FALSE, stream_id = :stream WHERE active AND expires_ts <= :now
            RETURNING room_id""";
    private static final String CHANGED_ROOMS = """
            SELECT DISTINCT room_id FROM typing
            WHERE room_id = ANY(:rooms) AND stream_id > :since AND stream_id <= :upTo""";
    private static final String TYPERS = """
            SELECT room_id, user_id FROM typing WHERE room_id = ANY(:rooms) AND active AND expires_ts > :now
            ORDER BY room_id, user_id""";

    private final Database db;

    public TypingRepository(Database db) {
        this.db = db;
    }

    /** The user types in the room until {@code expiresTs}. */
    public Mono<Void> start(String roomId, String userId, long expiresTs, long position) {
        return db.update(db.sql(START).bind("roomId", roomId).bind("userId", userId).bind("expires", expiresTs)
                .bind("stream", position)).then();
    }

    /** The user stopped typing; emits false when they were not typing. */
    public Mono<Boolean> stop(String roomId, String userId, long now, long position) {
        return db.update(db.sql(STOP).bind("roomId", roomId).bind("userId", userId).bind("now", now)
                .bind("stream", position)).map(n -> n > 0);
    }

    /** Whether some typing notification has lapsed without a position yet (a cheap, indexed probe). */
    public Mono<Boolean> anyDue(long now) {
        return db.one(db.sql(ANY_DUE).bind("now", now), r -> r.bool("due")).defaultIfEmpty(false);
    }

    /** Gives every lapsed notification {@code position} and emits the rooms concerned (each once). */
    public Mono<List<String>> sweep(long now, long position) {
        return db.many(db.sql(SWEEP).bind("now", now).bind("stream", position), r -> r.string("room_id"))
                .map(rooms -> rooms.stream().distinct().toList());
    }

    /** Those of {@code roomIds} whose typing set changed in {@code (since, upTo]}. */
    public Mono<List<String>> changedRooms(Collection<String> roomIds, long since, long upTo) {
        return db.many(db.sql(CHANGED_ROOMS).bind("rooms", roomIds.toArray(String[]::new)).bind("since", since)
                .bind("upTo", upTo), r -> r.string("room_id"));
    }

    /** Who types at {@code now} in {@code roomIds}. */
    public Mono<List<Typer>> typers(Collection<String> roomIds, long now) {
        return db.many(db.sql(TYPERS).bind("rooms", roomIds.toArray(String[]::new)).bind("now", now),
                r -> new Typer(r.string("room_id"), r.string("user_id")));
    }
}
