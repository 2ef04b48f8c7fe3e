package org.myelin.db.account;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Registration tokens an admin creates (Synapse's admin API shape). A token is valid while it has not expired
 * and {@code pending + completed < uses_allowed}.
 */
public final class RegistrationTokenRepository {

    /** One token and its counters. */
    public record RegistrationTokenRow(String token, Integer usesAllowed, int pending, int completed,
            Long expiryTime) {
    }

    private static final String COLUMNS = "token, uses_allowed, pending, completed, expiry_time";
    private static final String INSERT = """
            INSERT INTO registration_tokens (token, uses_allowed, expiry_time) VALUES (:token, :uses, :expiry)
            ON CONFLICT DO NOTHING""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM registration_tokens";
    private static final String UPDATE = """
            UPDATE registration_tokens SET uses_allowed = :uses, expiry_time = :expiry WHERE token = :token
            RETURNING\s""" + COLUMNS;
    private static final String DELETE = "DELETE FROM registration_tokens WHERE token = :token";
    private static final String RESERVE = """
            UPDATE registration_tokens SET pending = pending + 1
            WHERE token = :token AND (expiry_time IS NULL OR expiry_time > :now)
              AND (uses_allowed IS NULL OR pending + completed < uses_allowed)""";
    private static final String COMPLETE = """
            UPDATE registration_tokens SET pending = GREATEST(pending - 1, 0), completed = completed + 1
            WHERE token = :token""";
    private static final String VALID = """
            SELECT 1 AS one FROM registration_tokens WHERE token = :token
              AND (expiry_time IS NULL OR expiry_time > :now)
              AND (uses_allowed IS NULL OR pending + completed < uses_allowed)""";

    private final Database db;

    public RegistrationTokenRepository(Database db) {
        this.db = db;
    }

    /** Emits false when a token with that name already exists. */
    public Mono<Boolean> create(String token, Integer usesAllowed, Long expiryTime) {
        var spec = Database.bindNullable(db.sql(INSERT).bind("token", token), "uses", usesAllowed, Integer.class);
        return db.update(Database.bindNullable(spec, "expiry", expiryTime, Long.class)).map(n -> n > 0);
    }

    public Mono<RegistrationTokenRow> find(String token) {
        return db.one(db.sql(SELECT + " WHERE token = :token").bind("token", token),
                RegistrationTokenRepository::map);
    }

    public Mono<List<RegistrationTokenRow>> list() {
        return db.many(db.sql(SELECT + " ORDER BY token"), RegistrationTokenRepository::map);
    }

    public Mono<RegistrationTokenRow> update(String token, Integer usesAllowed, Long expiryTime) {
        var spec = Database.bindNullable(db.sql(UPDATE).bind("token", token), "uses", usesAllowed, Integer.class);
        return db.one(Database.bindNullable(spec, "expiry", expiryTime, Long.class),
                RegistrationTokenRepository::map);
    }

    public Mono<Boolean> delete(String token) {
        return db.update(db.sql(DELETE).bind("token", token)).map(n -> n > 0);
    }

    /** Whether the token could be used now (the unauthenticated validity check). */
    public Mono<Boolean> isValid(String token, long nowMs) {
        return db.one(db.sql(VALID).bind("token", token).bind("now", nowMs), r -> true).defaultIfEmpty(false);
    }

    /** Takes one use of the token for a UIA session; emits false when it is unknown, expired or used up. */
    public Mono<Boolean> reserve(String token, long nowMs) {
        return db.update(db.sql(RESERVE).bind("token", token).bind("now", nowMs)).map(n -> n > 0);
    }

    /** Turns a reserved use into a completed registration. */
    public Mono<Long> complete(String token) {
        return db.update(db.sql(COMPLETE).bind("token", token));
    }

    private static RegistrationTokenRow map(Database.Row r) {
        return new RegistrationTokenRow(r.string("token"), r.intValue("uses_allowed"), r.intValue("pending"),
                r.intValue("completed"), r.longValue("expiry_time"));
    }
}
