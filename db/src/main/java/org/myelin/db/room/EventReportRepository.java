package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Reports of events as inappropriate ({@code event_reports}), for the server's administrators. */
public final class EventReportRepository {

    private static final String INSERT = """
            INSERT INTO event_reports (room_id, event_id, user_id, reason, score, created_ts)
            VALUES (:roomId, :eventId, :userId, :reason, :score, :ts)""";

    private final Database db;

    public EventReportRepository(Database db) {
        this.db = db;
    }

    /**
     * Stores a report.
     *
     * @param reason the reporter's reason, or null
     * @param score  the (deprecated) score from -100 (most offensive) to 0, or null
     */
    public Mono<Void> insert(String roomId, String eventId, String userId, String reason, Integer score, long ts) {
        var spec = db.sql(INSERT).bind("roomId", roomId).bind("eventId", eventId).bind("userId", userId)
                .bind("ts", ts);
        spec = Database.bindNullable(spec, "reason", reason, String.class);
        spec = Database.bindNullable(spec, "score", score, Integer.class);
        return db.update(spec).then();
    }
}
