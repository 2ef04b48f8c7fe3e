package org.myelin.db.media;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Media rows and their thumbnails. Blobs are shared by content (SHA-256), so whoever stores or deletes one first
 * takes {@link #lockContent} in its transaction: a blob is deleted only while no row references it, and a row
 * referencing it is written only after its blob is in place.
 */
public final class MediaRepository {

    /** A media row's address. */
    public record MediaKey(String serverName, String mediaId) {
    }

    private static final String COLUMNS = """
            server_name, media_id, user_id, content_type, upload_name, size_bytes, sha256, created_ts, last_access_ts,
            unused_expires_ts, restricted, quarantined_by""";
    private static final String INSERT_UPLOADED = """
            INSERT INTO media (server_name, media_id, user_id, content_type, upload_name, size_bytes, sha256,
                created_ts, last_access_ts, restricted)
            VALUES (:server, :id, :user, :type, :name, :size, :sha, :now, :now, :restricted)""";
    private static final String INSERT_PENDING = """
            INSERT INTO media (server_name, media_id, user_id, created_ts, last_access_ts, unused_expires_ts)
            SELECT :server, :id, :user, :now, :now, :expires
            WHERE (SELECT count(*) FROM media
                   WHERE user_id = :user AND sha256 IS NULL AND unused_expires_ts > :now) < :maxPending""";
    private static final String COMPLETE_PENDING = """
            UPDATE media SET content_type = :type, upload_name = :name, size_bytes = :size, sha256 = :sha,
                created_ts = :now, last_access_ts = :now, unused_expires_ts = NULL, restricted = :restricted
            WHERE server_name = :server AND media_id = :id AND user_id = :user AND sha256 IS NULL
              AND unused_expires_ts > :now""";
    // A remote media's content arriving: a new row, or the content of a row that so far only held thumbnails.
    private static final String CACHE_REMOTE = """
            INSERT INTO media (server_name, media_id, content_type, upload_name, size_bytes, sha256, created_ts,
                last_access_ts, restricted)
            VALUES (:server, :id, :type, :name, :size, :sha, :now, :now, :restricted)
            ON CONFLICT (server_name, media_id) DO UPDATE SET content_type = EXCLUDED.content_type,
                upload_name = EXCLUDED.upload_name, size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256
            WHERE media.sha256 IS NULL""";
    private static final String REMEMBER_REMOTE = """
            INSERT INTO media (server_name, media_id, created_ts, last_access_ts) VALUES (:server, :id, :now, :now)
            ON CONFLICT DO NOTHING""";
    private static final String USED_BYTES =
            "SELECT coalesce(sum(size_bytes), 0)::BIGINT AS used FROM media WHERE user_id = :user";
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(:sha, 0))";
    private static final String REFERENCES = """
            SELECT (SELECT count(*) FROM media WHERE sha256 = :sha)
                 + (SELECT count(*) FROM media_thumbnails WHERE sha256 = :sha) AS refs""";
    private static final String TOUCH = """
            UPDATE media SET last_access_ts = :now
            WHERE server_name = :server AND media_id = :id AND last_access_ts < :now - 60000""";
    private static final String THUMBNAIL_SHAS =
            "SELECT DISTINCT sha256 FROM media_thumbnails WHERE server_name = :server AND media_id = :id";
    private static final String DELETE = "DELETE FROM media WHERE server_name = :server AND media_id = :id";
    private static final String BY_USER = "SELECT " + COLUMNS + " FROM media WHERE user_id = :user ORDER BY created_ts";
    private static final String QUARANTINE = """
            UPDATE media SET quarantined_by = :by
            WHERE server_name = :server AND media_id = ANY(:ids) AND quarantined_by IS NULL""";
    // The mxc:// URIs anywhere in a room's events (url, info.thumbnail_url, avatars, ...); encrypted events hide
    // theirs, as they do from Synapse's quarantine.
    private static final String IN_ROOM = """
            SELECT DISTINCT m[1] AS server_name, m[2] AS media_id
            FROM events e, regexp_matches(e.json, 'mxc://([A-Za-z0-9.:\\[\\]-]+)/([A-Za-z0-9_-]+)', 'g') AS m
            WHERE e.room_id = :room""";
    private static final String DELETE_EXPIRED_PENDING =
            "DELETE FROM media WHERE sha256 IS NULL AND unused_expires_ts <= :now";
    private static final String STALE_REMOTE = """
            SELECT server_name, media_id FROM media
            WHERE server_name <> :local AND last_access_ts < :cutoff ORDER BY last_access_ts LIMIT :limit""";
    private static final String THUMBNAILS = """
            SELECT width, height, method, content_type, size_bytes, sha256 FROM media_thumbnails
            WHERE server_name = :server AND media_id = :id""";
    private static final String INSERT_THUMBNAIL = """
            INSERT INTO media_thumbnails (server_name, media_id, width, height, method, content_type, size_bytes,
                sha256, created_ts)
            VALUES (:server, :id, :width, :height, :method, :type, :size, :sha, :now)
            ON CONFLICT DO NOTHING""";

    private final Database db;

    public MediaRepository(Database db) {
        this.db = db;
    }

    /** Records an uploaded media (its blob already stored). */
    public Mono<Void> insertUploaded(MediaRow row) {
        var spec = db.sql(INSERT_UPLOADED).bind("server", row.serverName()).bind("id", row.mediaId())
                .bind("user", row.userId()).bind("type", row.contentType()).bind("size", row.sizeBytes())
                .bind("sha", row.sha256()).bind("now", row.createdTs()).bind("restricted", row.restricted());
        return db.update(Database.bindNullable(spec, "name", row.uploadName(), String.class)).then();
    }

    /**
     * Records the fetched content of another server's media (its blob already stored); false when the row has
     * content already (another fetch came first).
     */
    public Mono<Boolean> cacheRemote(MediaRow row) {
        var spec = db.sql(CACHE_REMOTE).bind("server", row.serverName()).bind("id", row.mediaId())
                .bind("type", row.contentType()).bind("size", row.sizeBytes()).bind("sha", row.sha256())
                .bind("now", row.createdTs()).bind("restricted", row.restricted());
        return db.update(Database.bindNullable(spec, "name", row.uploadName(), String.class)).map(n -> n > 0);
    }

    /**
     * Makes sure another server's media has a row (without content, which never expires as a pending ID does), for
     * its thumbnails to belong to.
     */
    public Mono<Void> rememberRemote(MediaKey key, long now) {
        return db.update(db.sql(REMEMBER_REMOTE).bind("server", key.serverName()).bind("id", key.mediaId())
                .bind("now", now)).then();
    }

    /** Reserves an ID for a later upload; false when the user already holds {@code maxPending} unexpired ones. */
    public Mono<Boolean> createPending(MediaKey key, String userId, long now, long expiresTs, int maxPending) {
        return db.update(db.sql(INSERT_PENDING).bind("server", key.serverName()).bind("id", key.mediaId())
                .bind("user", userId).bind("now", now).bind("expires", expiresTs).bind("maxPending", maxPending))
                .map(n -> n > 0);
    }

    /**
     * Fills a pending ID with its upload, only for its creator, only once and only before it expires; false when
     * none of that held (the caller tells which by reading the row).
     */
    public Mono<Boolean> completePending(MediaKey key, String userId, String contentType, String uploadName,
            long size, String sha256, long now, boolean restricted) {
        var spec = db.sql(COMPLETE_PENDING).bind("server", key.serverName()).bind("id", key.mediaId())
                .bind("user", userId).bind("type", contentType).bind("size", size).bind("sha", sha256)
                .bind("now", now).bind("restricted", restricted);
        return db.update(Database.bindNullable(spec, "name", uploadName, String.class)).map(n -> n > 0);
    }

    public Mono<MediaRow> find(MediaKey key) {
        return db.one(db.sql("SELECT " + COLUMNS + " FROM media WHERE server_name = :server AND media_id = :id")
                .bind("server", key.serverName()).bind("id", key.mediaId()), MediaRepository::row);
    }

    /** The bytes of everything a user has uploaded. */
    public Mono<Long> usedBytes(String userId) {
        return db.one(db.sql(USED_BYTES).bind("user", userId), r -> r.longValue("used"));
    }

    /** Serialises, until the end of the current transaction, everyone storing or deleting this blob. */
    public Mono<Void> lockContent(String sha256) {
        return db.many(db.sql(LOCK).bind("sha", sha256), r -> 1).then();
    }

    /** How many media rows and thumbnails use this blob. */
    public Mono<Long> references(String sha256) {
        return db.one(db.sql(REFERENCES).bind("sha", sha256), r -> r.longValue("refs"));
    }

    /** Notes a download (at most one write a minute per media), for remote media retention. */
    public Mono<Void> touch(MediaKey key, long now) {
        return db.update(db.sql(TOUCH).bind("server", key.serverName()).bind("id", key.mediaId()).bind("now", now))
                .then();
    }

    /** The blobs a media's thumbnails use. */
    public Mono<List<String>> thumbnailBlobs(MediaKey key) {
        return db.many(db.sql(THUMBNAIL_SHAS).bind("server", key.serverName()).bind("id", key.mediaId()),
                r -> r.string("sha256"));
    }

    /** Deletes a media row and its thumbnails' rows; true when it existed. */
    public Mono<Boolean> delete(MediaKey key) {
        return db.update(db.sql(DELETE).bind("server", key.serverName()).bind("id", key.mediaId())).map(n -> n > 0);
    }

    public Mono<List<MediaRow>> byUser(String userId) {
        return db.many(db.sql(BY_USER).bind("user", userId), MediaRepository::row);
    }

    /** Quarantines those of {@code mediaIds} (of one server) not quarantined yet; returns how many. */
    public Mono<Long> quarantine(String serverName, List<String> mediaIds, String by) {
        return db.update(db.sql(QUARANTINE).bind("server", serverName).bind("ids", mediaIds.toArray(String[]::new))
                .bind("by", by));
    }

    /** The media that a room's events point at (any server). */
    public Mono<List<MediaKey>> referencedInRoom(String roomId) {
        return db.many(db.sql(IN_ROOM).bind("room", roomId),
                r -> new MediaKey(r.string("server_name"), r.string("media_id")));
    }

    /** Forgets pending IDs whose upload did not come in time; returns how many. */
    public Mono<Long> deleteExpiredPending(long now) {
        return db.update(db.sql(DELETE_EXPIRED_PENDING).bind("now", now));
    }

    /** Up to {@code limit} media of other servers not downloaded since {@code cutoff}, least recent first. */
    public Mono<List<MediaKey>> staleRemote(String localServer, long cutoff, int limit) {
        return db.many(db.sql(STALE_REMOTE).bind("local", localServer).bind("cutoff", cutoff).bind("limit", limit),
                r -> new MediaKey(r.string("server_name"), r.string("media_id")));
    }

    public Mono<List<ThumbnailRow>> thumbnails(MediaKey key) {
        return db.many(db.sql(THUMBNAILS).bind("server", key.serverName()).bind("id", key.mediaId()),
                r -> new ThumbnailRow(r.intValue("width"), r.intValue("height"), r.string("method"),
                        r.string("content_type"), r.longValue("size_bytes"), r.string("sha256")));
    }

    /** Records a generated thumbnail (its blob already stored); a concurrent twin of it wins silently. */
    public Mono<Void> insertThumbnail(MediaKey key, ThumbnailRow t, long now) {
        return db.update(db.sql(INSERT_THUMBNAIL).bind("server", key.serverName()).bind("id", key.mediaId())
                .bind("width", t.width()).bind("height", t.height()).bind("method", t.method())
                .bind("type", t.contentType()).bind("size", t.sizeBytes()).bind("sha", t.sha256()).bind("now", now))
                .then();
    }

    private static MediaRow row(Database.Row r) {
        return new MediaRow(r.string("server_name"), r.string("media_id"), r.string("user_id"),
                r.string("content_type"), r.string("upload_name"), r.longValue("size_bytes"), r.string("sha256"),
                r.longValue("created_ts"), r.longValue("last_access_ts"), r.longValue("unused_expires_ts"),
                r.bool("restricted"), r.string("quarantined_by"));
    }
}
