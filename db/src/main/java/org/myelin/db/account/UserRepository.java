package org.myelin.db.account;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Local user accounts ({@code users}) and their profiles ({@code profiles}), created together. */
public final class UserRepository {

    private static final String INSERT_USER = """
            INSERT INTO users (user_id, localpart, password_hash, admin, deactivated, created_ts, is_guest)
            VALUES (:userId, :localpart, :passwordHash, :admin, FALSE, :createdTs, :guest)
            ON CONFLICT DO NOTHING""";
    private static final String INSERT_PROFILE = """
            INSERT INTO profiles (user_id, displayname) VALUES (:userId, :displayname)""";
    private static final String SELECT = """
            SELECT user_id, localpart, password_hash, admin, deactivated, created_ts, is_guest FROM users""";
    private static final String SELECT_BY_ID = SELECT + " WHERE user_id = :userId";
    private static final String EXISTS_LOCALPART = "SELECT 1 AS one FROM users WHERE localpart = :localpart";
    private static final String UPDATE_PASSWORD = "UPDATE users SET password_hash = :hash WHERE user_id = :userId";
    private static final String DEACTIVATE = """
            UPDATE users SET deactivated = TRUE, password_hash = NULL WHERE user_id = :userId""";
    private static final String UPGRADE_GUEST = """
            UPDATE users SET is_guest = FALSE, password_hash = :hash
            WHERE user_id = :userId AND is_guest AND NOT deactivated""";
    private static final String GUESTS_AMONG = """
            SELECT user_id FROM users WHERE is_guest AND user_id = ANY(:userIds::text[])""";
    private static final String SET_DISPLAYNAME_IF_NONE = """
            UPDATE profiles SET displayname = :displayname WHERE user_id = :userId AND displayname IS NULL""";
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
        return insert(userId, localpart, passwordHash, admin, false, nowMs);
    }

    /**
     * Creates a guest account (no password) and an empty profile without a displayname, as Synapse does for
     * guests. Emits false when the localpart is already taken.
     */
    public Mono<Boolean> createGuest(String userId, String localpart, long nowMs) {
        return insert(userId, localpart, null, false, true, nowMs);
    }

    private Mono<Boolean> insert(String userId, String localpart, String passwordHash, boolean admin, boolean guest,
            long nowMs) {
        var insert = Database.bindNullable(db.sql(INSERT_USER).bind("userId", userId).bind("localpart", localpart)
                .bind("admin", admin).bind("guest", guest).bind("createdTs", nowMs), "passwordHash", passwordHash,
                String.class);
        var profile = Database.bindNullable(db.sql(INSERT_PROFILE).bind("userId", userId), "displayname",
                guest ? null : localpart, String.class);
        Mono<Boolean> work = db.update(insert)
                .flatMap(n -> n == 0 ? Mono.just(false) : db.update(profile).thenReturn(true));
        return db.inTransaction(work);
    }

    /**
     * Turns a guest account into a full one with the given password (and the profile's displayname, empty for a
     * guest, becomes the localpart). Emits false when the user is not (or no longer) a guest.
     */
    public Mono<Boolean> upgradeGuest(String userId, String localpart, String passwordHash) {
        Mono<Boolean> work = db.update(db.sql(UPGRADE_GUEST).bind("userId", userId).bind("hash", passwordHash))
                .flatMap(n -> n == 0 ? Mono.just(false)
                        : db.update(db.sql(SET_DISPLAYNAME_IF_NONE).bind("userId", userId)
                                .bind("displayname", localpart)).thenReturn(true));
        return db.inTransaction(work);
    }

    /** Which of {@code userIds} are guest accounts. */
    public Mono<List<String>> guestsAmong(List<String> userIds) {
        if (userIds.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.many(db.sql(GUESTS_AMONG).bind("userIds", userIds.toArray(String[]::new)), r -> r.string("user_id"));
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
                r.bool("deactivated"), r.longValue("created_ts"), r.bool("is_guest"));
    }
}
