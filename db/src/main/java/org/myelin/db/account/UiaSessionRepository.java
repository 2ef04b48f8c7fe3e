package org.myelin.db.account;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/** User-Interactive Authentication sessions, shared by every node. */
public final class UiaSessionRepository {

    /**
     * A session: {@code completedJson} is a JSON array of stage types, {@code paramsJson} a JSON object of values
     * stages and the operation remember; {@code method}, {@code uri} and {@code bodyJson} (the body without
     * {@code auth}) name the operation the session began with.
     */
    public record UiaSessionRow(String sessionId, String purpose, String userId, String completedJson,
            String paramsJson, long expiresTs, String method, String uri, String bodyJson) {
    }

    private static final String INSERT = """
            INSERT INTO uia_sessions (session_id, purpose, user_id, completed, params, created_ts, expires_ts,
                                      request_method, request_uri, request_body)
            VALUES (:id, :purpose, :userId, '[]', '{}', :now, :expires, :method, :uri, :body)""";
    private static final String SELECT = """
            SELECT session_id, purpose, user_id, completed, params, expires_ts, request_method, request_uri,
                   request_body
            FROM uia_sessions WHERE session_id = :id AND expires_ts > :now""";
    private static final String UPDATE = """
            UPDATE uia_sessions SET completed = :completed, params = :params WHERE session_id = :id""";
    private static final String UPDATE_BODY = "UPDATE uia_sessions SET request_body = :body WHERE session_id = :id";
    private static final String DELETE_EXPIRED = "DELETE FROM uia_sessions WHERE expires_ts <= :now";

    private final Database db;

    public UiaSessionRepository(Database db) {
        this.db = db;
    }

    public Mono<Long> create(UiaSessionRow row, long nowMs) {
        return db.update(Database.bindNullable(db.sql(INSERT).bind("id", row.sessionId())
                .bind("purpose", row.purpose()).bind("now", nowMs).bind("expires", row.expiresTs())
                .bind("method", row.method()).bind("uri", row.uri()).bind("body", Json.of(row.bodyJson())),
                "userId", row.userId(), String.class));
    }

    /** The live (unexpired) session, or empty. */
    public Mono<UiaSessionRow> find(String sessionId, long nowMs) {
        return db.one(db.sql(SELECT).bind("id", sessionId).bind("now", nowMs), r -> new UiaSessionRow(
                r.string("session_id"), r.string("purpose"), r.string("user_id"), r.json("completed"),
                r.json("params"), r.longValue("expires_ts"), r.string("request_method"), r.string("request_uri"),
                r.json("request_body")));
    }

    public Mono<Long> update(String sessionId, String completedJson, String paramsJson) {
        return db.update(db.sql(UPDATE).bind("id", sessionId).bind("completed", Json.of(completedJson))
                .bind("params", Json.of(paramsJson)));
    }

    /** Replaces the remembered body (a registration continued with new parameters). */
    public Mono<Long> updateBody(String sessionId, String bodyJson) {
        return db.update(db.sql(UPDATE_BODY).bind("id", sessionId).bind("body", Json.of(bodyJson)));
    }

    public Mono<Long> deleteExpired(long nowMs) {
        return db.update(db.sql(DELETE_EXPIRED).bind("now", nowMs));
    }
}
