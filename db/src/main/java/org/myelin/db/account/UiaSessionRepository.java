package org.myelin.db.account;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/** User-Interactive Authentication sessions, shared by every node. */
public final class UiaSessionRepository {

    /** A session: {@code completedJson} is a JSON array of stage types, {@code paramsJson} a JSON object. */
    public record UiaSessionRow(String sessionId, String purpose, String userId, String completedJson,
            String paramsJson, long expiresTs) {
    }

    private static final String INSERT = """
            INSERT INTO uia_sessions (session_id, purpose, user_id, completed, params, created_ts, expires_ts)
            VALUES (:id, :purpose, :userId, '[]', '{}', :now, :expires)""";
    private static final String SELECT = """
            SELECT session_id, purpose, user_id, completed, params, expires_ts FROM uia_sessions
            WHERE session_id = :id AND expires_ts > :now""";
    private static final String UPDATE = """
            UPDATE uia_sessions SET completed = :completed, params = :params WHERE session_id = :id""";
    private static final String DELETE = "DELETE FROM uia_sessions WHERE session_id = :id";
    private static final String DELETE_EXPIRED = "DELETE FROM uia_sessions WHERE expires_ts <= :now";

    private final Database db;

    public UiaSessionRepository(Database db) {
        this.db = db;
    }

    public Mono<Long> create(String sessionId, String purpose, String userId, long nowMs, long expiresTs) {
        return db.update(Database.bindNullable(db.sql(INSERT).bind("id", sessionId).bind("purpose", purpose)
                .bind("now", nowMs).bind("expires", expiresTs), "userId", userId, String.class));
    }

    /** The live (unexpired) session, or empty. */
    public Mono<UiaSessionRow> find(String sessionId, long nowMs) {
        return db.one(db.sql(SELECT).bind("id", sessionId).bind("now", nowMs), r -> new UiaSessionRow(
                r.string("session_id"), r.string("purpose"), r.string("user_id"), r.json("completed"),
                r.json("params"), r.longValue("expires_ts")));
    }

    public Mono<Long> update(String sessionId, String completedJson, String paramsJson) {
        return db.update(db.sql(UPDATE).bind("id", sessionId).bind("completed", Json.of(completedJson))
                .bind("params", Json.of(paramsJson)));
    }

    public Mono<Long> delete(String sessionId) {
        return db.update(db.sql(DELETE).bind("id", sessionId));
    }

    public Mono<Long> deleteExpired(long nowMs) {
        return db.update(db.sql(DELETE_EXPIRED).bind("now", nowMs));
    }
}
