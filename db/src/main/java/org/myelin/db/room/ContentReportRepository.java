package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Reports of rooms ({@code room_reports}) and users ({@code user_reports}) for the server's administrators. */
public final class ContentReportRepository {

    private static final String ROOM = """
            INSERT INTO room_reports (room_id, user_id, reason, created_ts) VALUES (:roomId, :userId, :reason, :ts)""";
    private static final String USER = """
            INSERT INTO user_reports (target_user_id, user_id, reason, created_ts)
            VALUES (:target, :userId, :reason, :ts)""";

    private final Database db;

    public ContentReportRepository(Database db) {
        this.db = db;
    }

    /** Stores {@code userId}'s report of a room. */
    public Mono<Void> reportRoom(String roomId, String userId, String reason, long ts) {
        return db.update(db.sql(ROOM).bind("roomId", roomId).bind("userId", userId).bind("reason", reason)
                .bind("ts", ts)).then();
    }

    /** Stores {@code userId}'s report of the user {@code target}. */
    public Mono<Void> reportUser(String target, String userId, String reason, long ts) {
        return db.update(db.sql(USER).bind("target", target).bind("userId", userId).bind("reason", reason)
                .bind("ts", ts)).then();
    }
}
