package org.myelin.db.account;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Single-use nonces for shared-secret registration. */
public final class RegistrationNonceRepository {

    private static final String INSERT = "INSERT INTO registration_nonces (nonce, expires_ts) VALUES (:nonce, :exp)";
    private static final String CONSUME = """
            DELETE FROM registration_nonces WHERE nonce = :nonce AND expires_ts > :now""";
    private static final String PURGE = "DELETE FROM registration_nonces WHERE expires_ts <= :now";

    private final Database db;

    public RegistrationNonceRepository(Database db) {
        this.db = db;
    }

    public Mono<Long> create(String nonce, long expiresTs) {
        return db.update(db.sql(INSERT).bind("nonce", nonce).bind("exp", expiresTs));
    }

    /** Deletes the nonce; emits true only if it existed and had not expired, so each nonce works once. */
    public Mono<Boolean> consume(String nonce, long nowMs) {
        return db.update(db.sql(CONSUME).bind("nonce", nonce).bind("now", nowMs)).map(n -> n > 0)
                .flatMap(ok -> db.update(db.sql(PURGE).bind("now", nowMs)).thenReturn(ok));
    }
}
