package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Pagination sessions of the space hierarchy ({@code space_hierarchy_sessions}): what a walk still has to do, under
 * the token its page handed out. A session stays readable until it expires, so a client that repeats a request gets
 * the same page again; expired sessions are deleted whenever a new one is stored.
 */
public final class SpaceHierarchySessionRepository {

    private static final String INSERT = """
            INSERT INTO space_hierarchy_sessions (token, user_id, room_id, suggested_only, max_depth, walk, expires_ts)
            VALUES (:token, :userId, :roomId, :suggestedOnly, :maxDepth, :walk, :expiresTs)""";
    private static final String SWEEP = "DELETE FROM space_hierarchy_sessions WHERE expires_ts <= :now";
    private static final String FIND = """
            SELECT user_id, room_id, suggested_only, max_depth, walk FROM space_hierarchy_sessions
            WHERE token = :token AND expires_ts > :now""";

    /**
     * One session.
     *
     * @param maxDepth the {@code max_depth} the first request named, or null
     * @param walk     the walk's state (JSON, written and read by the room graph)
     */
    public record Session(String userId, String roomId, boolean suggestedOnly, Integer maxDepth, String walk) {
    }

    private final Database db;

    public SpaceHierarchySessionRepository(Database db) {
        this.db = db;
    }

    /** Stores a session under {@code token} until {@code expiresTs}, deleting sessions expired by {@code now}. */
    public Mono<Void> save(String token, Session session, long now, long expiresTs) {
        var insert = db.sql(INSERT).bind("token", token).bind("userId", session.userId())
                .bind("roomId", session.roomId()).bind("suggestedOnly", session.suggestedOnly())
                .bind("walk", session.walk()).bind("expiresTs", expiresTs);
        insert = Database.bindNullable(insert, "maxDepth", session.maxDepth(), Integer.class);
        return db.update(db.sql(SWEEP).bind("now", now)).then(db.update(insert)).then();
    }

    /** The session under {@code token}; empty when there is none or it expired. */
    public Mono<Session> find(String token, long now) {
        return db.one(db.sql(FIND).bind("token", token).bind("now", now), r -> new Session(r.string("user_id"),
                r.string("room_id"), r.bool("suggested_only"), r.intValue("max_depth"), r.string("walk")));
    }
}
