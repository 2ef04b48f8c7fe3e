package org.myelin.db.account;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Access and refresh tokens, stored only as SHA-256 hashes. Hashing is the caller's job; this class never sees
 * a token in the clear.
 */
public final class TokenRepository {

    /** What an access token hash resolves to. {@code expiresTs} is null for non-expiring tokens. */
    public record AccessTokenRow(long id, String userId, String deviceId, Long expiresTs, boolean admin,
            boolean deactivated, boolean guest) {
    }

    /** A refresh token: {@code nextTokenId} is set once it has been used. */
    public record RefreshTokenRow(long id, String userId, String deviceId, Long nextTokenId, Long expiresTs) {
    }

    private static final String INSERT_ACCESS = """
            INSERT INTO access_tokens (token_hash, user_id, device_id, refresh_token_id, created_ts, expires_ts)
            VALUES (:hash, :userId, :deviceId, :refreshId, :now, :expires)""";
    private static final String FIND_ACCESS = """
            SELECT t.id, t.user_id, t.device_id, t.expires_ts, u.admin, u.deactivated, u.is_guest
            FROM access_tokens t JOIN users u ON u.user_id = t.user_id WHERE t.token_hash = :hash""";
    private static final String DELETE_ACCESS_BY_ID = "DELETE FROM access_tokens WHERE id = :id";
    private static final String INSERT_REFRESH = """
            INSERT INTO refresh_tokens (token_hash, user_id, device_id, created_ts, expires_ts)
            VALUES (:hash, :userId, :deviceId, :now, :expires) RETURNING id""";
    private static final String FIND_REFRESH = """
            SELECT id, user_id, device_id, next_token_id, expires_ts FROM refresh_tokens WHERE token_hash = :hash
            FOR UPDATE""";
    private static final String LINK_REFRESH = "UPDATE refresh_tokens SET next_token_id = :next WHERE id = :id";
    private static final String DELETE_ACCESS_OF_REFRESH = "DELETE FROM access_tokens WHERE refresh_token_id = :id";
    private static final String DELETE_OTHER_ACCESS = """
            DELETE FROM access_tokens WHERE user_id = :userId AND device_id <> :deviceId""";

    private final Database db;

    public TokenRepository(Database db) {
        this.db = db;
    }

    public Mono<Long> insertAccess(byte[] hash, String userId, String deviceId, Long refreshTokenId, Long expiresTs,
            long nowMs) {
        var spec = db.sql(INSERT_ACCESS).bind("hash", hash).bind("userId", userId).bind("deviceId", deviceId)
                .bind("now", nowMs);
        spec = Database.bindNullable(spec, "refreshId", refreshTokenId, Long.class);
        return db.update(Database.bindNullable(spec, "expires", expiresTs, Long.class));
    }

    public Mono<AccessTokenRow> findAccess(byte[] hash) {
        return db.one(db.sql(FIND_ACCESS).bind("hash", hash), r -> new AccessTokenRow(r.longValue("id"),
                r.string("user_id"), r.string("device_id"), r.longValue("expires_ts"), r.bool("admin"),
                r.bool("deactivated"), r.bool("is_guest")));
    }

    public Mono<Long> deleteAccess(long id) {
        return db.update(db.sql(DELETE_ACCESS_BY_ID).bind("id", id));
    }

    /** Deletes every access token of the user except those of {@code keepDeviceId}. */
    public Mono<Long> deleteAccessExcept(String userId, String keepDeviceId) {
        return db.update(db.sql(DELETE_OTHER_ACCESS).bind("userId", userId).bind("deviceId", keepDeviceId));
    }

    /** Stores a refresh token and emits its id. */
    public Mono<Long> insertRefresh(byte[] hash, String userId, String deviceId, Long expiresTs, long nowMs) {
        var spec = db.sql(INSERT_REFRESH).bind("hash", hash).bind("userId", userId).bind("deviceId", deviceId)
                .bind("now", nowMs);
        return db.one(Database.bindNullable(spec, "expires", expiresTs, Long.class), r -> r.longValue("id"));
    }

    /** Finds a refresh token and locks its row; call inside {@link Database#inTransaction}. */
    public Mono<RefreshTokenRow> findRefreshForUpdate(byte[] hash) {
        return db.one(db.sql(FIND_REFRESH).bind("hash", hash), r -> new RefreshTokenRow(r.longValue("id"),
                r.string("user_id"), r.string("device_id"), r.longValue("next_token_id"), r.longValue("expires_ts")));
    }

    /**
     * Marks {@code usedId} as replaced by {@code nextId} and revokes the access tokens issued with it, so a
     * refresh invalidates the previous pair.
     */
    public Mono<Void> rotate(long usedId, long nextId) {
        return db.update(db.sql(LINK_REFRESH).bind("next", nextId).bind("id", usedId))
                .then(db.update(db.sql(DELETE_ACCESS_OF_REFRESH).bind("id", usedId))).then();
    }

    /** Runs token work atomically. */
    public <T> Mono<T> inTransaction(Mono<T> work) {
        return db.inTransaction(work);
    }
}
