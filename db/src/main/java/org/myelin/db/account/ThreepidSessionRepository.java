package org.myelin.db.account;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Validation sessions of third-party identifiers ({@code threepid_sessions}): the hashed token sent to an address
 * and whether it came back. Hashing the token is the caller's job.
 */
public final class ThreepidSessionRepository {

    /** A session; {@code validatedTs} is null until the token was submitted. */
    public record ThreepidSession(String sid, String clientSecret, String medium, String address, String purpose,
            byte[] tokenHash, long sendAttempt, String nextLink, Long validatedTs, long expiresTs) {
    }

    private static final String COLUMNS = """
            sid, client_secret, medium, address, purpose, token_hash, send_attempt, next_link, validated_ts,
            expires_ts""";
    private static final String INSERT = "INSERT INTO threepid_sessions (" + COLUMNS + ", created_ts) VALUES "
            + "(:sid, :secret, :medium, :address, :purpose, :hash, :attempt, :nextLink, NULL, :expires, :now)";
    private static final String FIND_BY_KEY = "SELECT " + COLUMNS + " FROM threepid_sessions"
            + " WHERE client_secret = :secret AND medium = :medium AND address = :address AND purpose = :purpose"
            + " AND expires_ts > :now";
    private static final String FIND_BY_SID = "SELECT " + COLUMNS + " FROM threepid_sessions"
            + " WHERE sid = :sid AND client_secret = :secret AND expires_ts > :now";
    private static final String RESEND = """
            UPDATE threepid_sessions SET token_hash = :hash, send_attempt = :attempt, next_link = :nextLink,
                   expires_ts = :expires
            WHERE sid = :sid AND validated_ts IS NULL""";
    private static final String VALIDATE = """
            UPDATE threepid_sessions SET validated_ts = :now
            WHERE sid = :sid AND client_secret = :secret AND token_hash = :hash AND expires_ts > :now""";
    private static final String DELETE = "DELETE FROM threepid_sessions WHERE sid = :sid";
    private static final String DELETE_EXPIRED = "DELETE FROM threepid_sessions WHERE expires_ts <= :now";

    private final Database db;

    public ThreepidSessionRepository(Database db) {
        this.db = db;
    }

    /** Stores a new session; expired sessions are swept first. */
    public Mono<Long> create(ThreepidSession s, long nowMs) {
        var spec = db.sql(INSERT).bind("sid", s.sid()).bind("secret", s.clientSecret()).bind("medium", s.medium())
                .bind("address", s.address()).bind("purpose", s.purpose()).bind("hash", s.tokenHash())
                .bind("attempt", s.sendAttempt()).bind("expires", s.expiresTs()).bind("now", nowMs);
        return db.update(db.sql(DELETE_EXPIRED).bind("now", nowMs))
                .then(db.update(Database.bindNullable(spec, "nextLink", s.nextLink(), String.class)));
    }

    /** The live session a client secret opened for an address and purpose, if any. */
    public Mono<ThreepidSession> find(String clientSecret, String medium, String address, String purpose,
            long nowMs) {
        return db.one(db.sql(FIND_BY_KEY).bind("secret", clientSecret).bind("medium", medium)
                .bind("address", address).bind("purpose", purpose).bind("now", nowMs),
                ThreepidSessionRepository::map);
    }

    /** The live session with this sid and client secret, if any. */
    public Mono<ThreepidSession> find(String sid, String clientSecret, long nowMs) {
        return db.one(db.sql(FIND_BY_SID).bind("sid", sid).bind("secret", clientSecret).bind("now", nowMs),
                ThreepidSessionRepository::map);
    }

    /**
     * A new token for a session not yet validated (a higher send_attempt), or the old one put back. Emits whether
     * it was updated.
     */
    public Mono<Boolean> resend(String sid, byte[] tokenHash, long sendAttempt, String nextLink, long expiresTs) {
        var spec = db.sql(RESEND).bind("sid", sid).bind("hash", tokenHash).bind("attempt", sendAttempt)
                .bind("expires", expiresTs);
        return db.update(Database.bindNullable(spec, "nextLink", nextLink, String.class)).map(n -> n > 0);
    }

    /** Marks the session validated when the token matches. Emits whether it did. */
    public Mono<Boolean> validate(String sid, String clientSecret, byte[] tokenHash, long nowMs) {
        return db.update(db.sql(VALIDATE).bind("sid", sid).bind("secret", clientSecret).bind("hash", tokenHash)
                .bind("now", nowMs)).map(n -> n > 0);
    }

    /** Forgets a session (its mail could not be sent). */
    public Mono<Long> delete(String sid) {
        return db.update(db.sql(DELETE).bind("sid", sid));
    }

    private static ThreepidSession map(Database.Row r) {
        return new ThreepidSession(r.string("sid"), r.string("client_secret"), r.string("medium"),
                r.string("address"), r.string("purpose"), r.raw().get("token_hash", byte[].class),
                r.longValue("send_attempt"), r.string("next_link"), r.longValue("validated_ts"),
                r.longValue("expires_ts"));
    }
}
