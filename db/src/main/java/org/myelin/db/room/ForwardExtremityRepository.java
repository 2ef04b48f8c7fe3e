package org.myelin.db.room;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** The events of a room that nothing follows yet: the prev_events of the next event the server creates. */
public final class ForwardExtremityRepository {

    private static final String SELECT = "SELECT event_id FROM forward_extremities WHERE room_id = :roomId";
    private static final String DELETE = """
            DELETE FROM forward_extremities WHERE room_id = :roomId AND event_id = ANY(:ids)""";
    private static final String INSERT = """
            INSERT INTO forward_extremities (room_id, event_id) VALUES (:roomId, :eventId) ON CONFLICT DO NOTHING""";

    private final Database db;

    public ForwardExtremityRepository(Database db) {
        this.db = db;
    }

    public Mono<List<String>> list(String roomId) {
        return db.many(db.sql(SELECT + " ORDER BY event_id").bind("roomId", roomId), r -> r.string("event_id"));
    }

    /** Replaces the extremities {@code eventId} follows by {@code eventId}. */
    public Mono<Void> advance(String roomId, Collection<String> prevEventIds, String eventId) {
        return db.update(db.sql(DELETE).bind("roomId", roomId).bind("ids", prevEventIds.toArray(String[]::new)))
                .then(db.update(db.sql(INSERT).bind("roomId", roomId).bind("eventId", eventId)))
                .then();
    }
}
