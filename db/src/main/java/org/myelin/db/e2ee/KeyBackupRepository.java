package org.myelin.db.e2ee;

import java.util.List;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * Server-side key backups ({@code room_key_backups}, {@code room_key_backup_keys}). A user's current backup is the
 * newest version not deleted. A stored session is replaced only by a better one (client-server-api "Server-side
 * key backups"): verified over unverified, then the lower first message index, then the lower forwarded count.
 */
public final class KeyBackupRepository {

    /** A backup version; {@code count} is the number of sessions in it. */
    public record Backup(long version, String algorithm, String authDataJson, long etag, long count) {
    }

    /** One backed-up session. */
    public record Session(String roomId, String sessionId, long firstMessageIndex, long forwardedCount,
            boolean isVerified, String sessionDataJson) {
    }

    private static final String BACKUP_COLUMNS = """
            SELECT b.version, b.algorithm, b.auth_data, b.etag,
                   (SELECT count(*) FROM room_key_backup_keys k WHERE k.user_id = b.user_id AND k.version = b.version)
                       AS n
            FROM room_key_backups b""";
    private static final String CURRENT = BACKUP_COLUMNS
            + " WHERE b.user_id = :userId AND NOT b.deleted ORDER BY b.version DESC LIMIT 1";
    private static final String BY_VERSION = BACKUP_COLUMNS
            + " WHERE b.user_id = :userId AND b.version = :version AND NOT b.deleted";
    private static final String CREATE = """
            INSERT INTO room_key_backups (user_id, version, algorithm, auth_data)
            VALUES (:userId, nextval('room_key_backup_version_seq'), :algorithm, :authData) RETURNING version""";
    private static final String UPDATE_AUTH = """
            UPDATE room_key_backups SET auth_data = :authData
            WHERE user_id = :userId AND version = :version AND NOT deleted""";
    private static final String EXISTS_ANY = """
            SELECT deleted FROM room_key_backups WHERE user_id = :userId AND version = :version""";
    private static final String DELETE_BACKUP = """
            UPDATE room_key_backups SET deleted = TRUE WHERE user_id = :userId AND version = :version""";
    private static final String DELETE_ALL_KEYS = """
            DELETE FROM room_key_backup_keys WHERE user_id = :userId AND version = :version""";
    /* Only a better session replaces a stored one; the etag moves only when a row changed. */
    private static final String PUT_SESSIONS = """
            INSERT INTO room_key_backup_keys (user_id, version, room_id, session_id, first_message_index,
                                              forwarded_count, is_verified, session_data)
            SELECT :userId, :version, s.* FROM unnest(CAST(:rooms AS TEXT[]), CAST(:sessions AS TEXT[]),
                CAST(:indexes AS BIGINT[]), CAST(:forwards AS BIGINT[]), CAST(:verified AS BOOLEAN[]),
                CAST(:data AS TEXT[])) AS s
            ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE
                SET first_message_index = EXCLUDED.first_message_index, forwarded_count = EXCLUDED.forwarded_count,
                    is_verified = EXCLUDED.is_verified, session_data = EXCLUDED.session_data
            WHERE (EXCLUDED.is_verified AND NOT room_key_backup_keys.is_verified)
               OR (EXCLUDED.is_verified = room_key_backup_keys.is_verified
                   AND (EXCLUDED.first_message_index < room_key_backup_keys.first_message_index
                        OR (EXCLUDED.first_message_index = room_key_backup_keys.first_message_index
                            AND EXCLUDED.forwarded_count < room_key_backup_keys.forwarded_count)))""";
    private static final String BUMP_ETAG = """
            UPDATE room_key_backups SET etag = etag + 1 WHERE user_id = :userId AND version = :version""";
    private static final String SESSIONS = """
            SELECT room_id, session_id, first_message_index, forwarded_count, is_verified, session_data
            FROM room_key_backup_keys WHERE user_id = :userId AND version = :version""";
    private static final String DELETE_SESSIONS = "DELETE FROM room_key_backup_keys WHERE user_id = :userId "
            + "AND version = :version";

    private final Database db;

    public KeyBackupRepository(Database db) {
        this.db = db;
    }

    /** The user's current backup, or empty. */
    public Mono<Backup> current(String userId) {
        return db.one(db.sql(CURRENT).bind("userId", userId), KeyBackupRepository::backup);
    }

    /** The backup of that version, or empty when it does not exist or was deleted. */
    public Mono<Backup> find(String userId, long version) {
        return db.one(db.sql(BY_VERSION).bind("userId", userId).bind("version", version),
                KeyBackupRepository::backup);
    }

    /** Creates a new backup version, which becomes the current one; emits its version. */
    public Mono<Long> create(String userId, String algorithm, String authDataJson) {
        return db.one(db.sql(CREATE).bind("userId", userId).bind("algorithm", algorithm)
                .bind("authData", authDataJson), r -> r.longValue("version"));
    }

    /** Replaces the backup's auth data; emits false when it does not exist or was deleted. */
    public Mono<Boolean> updateAuthData(String userId, long version, String authDataJson) {
        return db.update(db.sql(UPDATE_AUTH).bind("userId", userId).bind("version", version)
                .bind("authData", authDataJson)).map(n -> n > 0);
    }

    /**
     * Deletes the backup and its keys; emits false when that version never existed (deleting a deleted backup
     * succeeds).
     */
    public Mono<Boolean> delete(String userId, long version) {
        return db.inTransaction(db.one(db.sql(EXISTS_ANY).bind("userId", userId).bind("version", version),
                        r -> true)
                .flatMap(exists -> db.update(db.sql(DELETE_ALL_KEYS).bind("userId", userId).bind("version", version))
                        .then(db.update(db.sql(DELETE_BACKUP).bind("userId", userId).bind("version", version)))
                        .thenReturn(true))
                .defaultIfEmpty(false));
    }

    /** Stores the sessions where they are better than the stored ones; moves the etag if any changed. */
    public Mono<Void> putSessions(String userId, long version, List<Session> sessions) {
        if (sessions.isEmpty()) {
            return Mono.empty();
        }
        var spec = db.sql(PUT_SESSIONS).bind("userId", userId).bind("version", version)
                .bind("rooms", sessions.stream().map(Session::roomId).toArray(String[]::new))
                .bind("sessions", sessions.stream().map(Session::sessionId).toArray(String[]::new))
                .bind("indexes", sessions.stream().map(Session::firstMessageIndex).toArray(Long[]::new))
                .bind("forwards", sessions.stream().map(Session::forwardedCount).toArray(Long[]::new))
                .bind("verified", sessions.stream().map(Session::isVerified).toArray(Boolean[]::new))
                .bind("data", sessions.stream().map(Session::sessionDataJson).toArray(String[]::new));
        return db.inTransaction(db.update(spec).flatMap(n -> n == 0 ? Mono.empty() : bumpEtag(userId, version)))
                .then();
    }

    /** The backup's sessions, optionally of one room and one session. */
    public Mono<List<Session>> sessions(String userId, long version, String roomId, String sessionId) {
        return db.many(filtered(SESSIONS, userId, version, roomId, sessionId), KeyBackupRepository::session);
    }

    /** Deletes the backup's sessions, optionally of one room and one session; moves the etag if any went. */
    public Mono<Void> deleteSessions(String userId, long version, String roomId, String sessionId) {
        return db.inTransaction(db.update(filtered(DELETE_SESSIONS, userId, version, roomId, sessionId))
                .flatMap(n -> n == 0 ? Mono.empty() : bumpEtag(userId, version))).then();
    }

    private Mono<Long> bumpEtag(String userId, long version) {
        return db.update(db.sql(BUMP_ETAG).bind("userId", userId).bind("version", version));
    }

    private DatabaseClient.GenericExecuteSpec filtered(String sql, String userId,
            long version, String roomId, String sessionId) {
        String where = (roomId == null ? "" : " AND room_id = :roomId")
                + (sessionId == null ? "" : " AND session_id = :sessionId");
        var spec = db.sql(sql + where + (sql.startsWith("SELECT") ? " ORDER BY room_id, session_id" : ""))
                .bind("userId", userId).bind("version", version);
        if (roomId != null) {
            spec = spec.bind("roomId", roomId);
        }
        return sessionId == null ? spec : spec.bind("sessionId", sessionId);
    }

    private static Backup backup(Database.Row r) {
        return new Backup(r.longValue("version"), r.string("algorithm"), r.string("auth_data"),
                r.longValue("etag"), r.longValue("n"));
    }

    private static Session session(Database.Row r) {
        return new Session(r.string("room_id"), r.string("session_id"), r.longValue("first_message_index"),
                r.longValue("forwarded_count"), r.bool("is_verified"), r.string("session_data"));
    }
}
