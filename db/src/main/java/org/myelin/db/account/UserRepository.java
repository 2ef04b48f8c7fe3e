package org.myelin.db.account;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Local user accounts ({@code users}) and their profiles ({@code profiles}), created together. */
public final class UserRepository {

    private static final String INSERT_USER = """
            INSERT INTO users (user_id, localpart, password_hash, admin, deactivated, created_ts)
            VALUES (:userId, :localpart, :passwordHash, :admin, FALSE, :createdTs)
            ON CONFLICT DO NOTHING""";
    private static final String INSERT_PROFILE = """
            INSERT INTO profiles (user_id, displayname) VALUES (:userId, :displayname)""";
    private static final String SELECT = """
            SELECT user_id, localpart, password_hash, admin, deactivated, created_ts FROM users""";
    private static final String SELECT_BY_ID = SELECT + " WHERE user_id = :userId";
    private static final String EXISTS_LOCALPART = "SELECT 1 AS one FROM users WHERE localpart = :localpart";
    private static final String UPDATE_PASSWORD = "UPDATE users SET password_hash = :hash WHERE user_id = :userId";
    private static final String DEACTIVATE = """
            UPDATE users SET deactivated = TRUE, password_hash = NULL WHERE user_id = :userId""";
    private static final String CLEAR_PROFILE = """
            UPDATE profiles SET displayname = NULL, avatar_url = NULL, fields = '{}' WHERE user_id = :userId""";

    private final Database db;

    public UserRepository(Database db) {
        this.db = db;
    }

    /**
     * Creates the user and an empty profile whose displayname is the localpart.
     * Emits false when the localpart is already taken (nothing is written then).
     */
    public Mono<Boolean> create(String userId, String localpart, String passwordHash, boolean admin, long nowMs) {
        var insert = Database.bindNullable(db.sql(INSERT_USER).bind("userId", userId).bind("localpart", localpart)
                .bind("admin", admin).bind("createdTs", nowMs), "passwordHash", passwordHash, String.class);
        Mono<Boolean> work = db.update(insert)
                .flatMap(n -> n == 0 ? Mono.just(false)
                        : db.update(db.sql(INSERT_PROFILE).bind("userId", userId).bind("displayname", localpart))
                                .thenReturn(true));
        return db.inTransaction(work);
    }

    public Mono<UserRow> find(String userId) {
        return db.one(db.sql(SELECT_BY_ID).bind("userId", userId), UserRepository::map);
    }

    public Mono<Boolean> localpartTaken(String localpart) {
        return db.one(db.sql(EXISTS_LOCALPART).bind("localpart", localpart), r -> true).defaultIfEmpty(false);
    }

    public Mono<Long> updatePassword(String userId, String passwordHash) {
        return db.update(db.sql(UPDATE_PASSWORD).bind("hash", passwordHash).bind("userId", userId));
    }

    /** Marks the account deactivated, forgets its password and erases its profile. */
    public Mono<Void> deactivate(String userId) {
        return db.inTransaction(db.update(db.sql(DEACTIVATE).bind("userId", userId))
                .then(db.update(db.sql(CLEAR_PROFILE).bind("userId", userId)))).then();
    }

    private static UserRow map(Database.Row r) {
        return new UserRow(r.string("user_id"), r.string("localpart"), r.string("password_hash"), r.bool("admin"),
                r.bool("deactivated"), r.longValue("created_ts"));
    }
}
