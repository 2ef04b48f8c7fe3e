package org.myelin.db.room;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** The events of a room that nothing follows yet: the prev_events of the next event the server creates. */
public final class ForwardExtremityRepository {

    private static final String SELECT = "SELECT event_id FROM forward_extremities WHERE room_id = :roomId";
    /**
     * Deletes the followed extremities and inserts the new one, and returns the resulting set, in one statement:
     * the main query reads the rows as they were before the statement, so it adds and removes by hand.
     */
    private static final String ADVANCE = """
            WITH removed AS (
                DELETE FROM forward_extremities WHERE room_id = :roomId AND event_id = ANY(:ids)),
            added AS (
                INSERT INTO forward_extremities (room_id, event_id) VALUES (:roomId, :eventId) ON CONFLICT DO NOTHING)
            SELECT event_id FROM forward_extremities WHERE room_id = :roomId AND event_id <> ALL(:ids)
            UNION SELECT CAST(:eventId AS TEXT) AS event_id""";

    private final Database db;

    public ForwardExtremityRepository(Database db) {
        this.db = db;
    }

    public Mono<List<String>> list(String roomId) {
        return db.many(db.sql(SELECT + " ORDER BY event_id").bind("roomId", roomId), r -> r.string("event_id"));
    }

    /** Replaces the extremities {@code eventId} follows by {@code eventId}; emits the extremities now. */
    public Mono<List<String>> advance(String roomId, Collection<String> prevEventIds, String eventId) {
        return db.many(db.sql(ADVANCE).bind("roomId", roomId).bind("ids", prevEventIds.toArray(String[]::new))
                .bind("eventId", eventId), r -> r.string("event_id"));
    }
}
