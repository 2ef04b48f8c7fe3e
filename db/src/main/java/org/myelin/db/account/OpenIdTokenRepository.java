package org.myelin.db.account;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** OpenID tokens ({@code openid_tokens}), stored only as SHA-256 hashes; hashing is the caller's job. */
public final class OpenIdTokenRepository {

    private static final String INSERT = """
            INSERT INTO openid_tokens (token_hash, user_id, expires_ts) VALUES (:hash, :userId, :expires)""";
    private static final String FIND = """
            SELECT t.user_id FROM openid_tokens t JOIN users u ON u.user_id = t.user_id
            WHERE t.token_hash = :hash AND t.expires_ts > :now AND NOT u.deactivated""";
    private static final String DELETE_EXPIRED = "DELETE FROM openid_tokens WHERE expires_ts <= :now";

    private final Database db;

    public OpenIdTokenRepository(Database db) {
        this.db = db;
    }

    /** Stores a token; expired ones are swept first. */
    public Mono<Long> insert(byte[] hash, String userId, long expiresTs, long nowMs) {
        return db.update(db.sql(DELETE_EXPIRED).bind("now", nowMs))
                .then(db.update(db.sql(INSERT).bind("hash", hash).bind("userId", userId).bind("expires", expiresTs)));
    }

    /** The user a live token was issued to (an active account), or empty. */
    public Mono<String> findUser(byte[] hash, long nowMs) {
        return db.one(db.sql(FIND).bind("hash", hash).bind("now", nowMs), r -> r.string("user_id"));
    }
}
