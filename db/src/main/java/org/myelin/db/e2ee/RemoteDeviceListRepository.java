package org.myelin.db.e2ee;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Other servers' users' device lists as cached here ({@code remote_device_lists}, {@code remote_device_keys}):
 * where their server's device-list stream stood, whether a gap made the copy stale, their devices' keys and their
 * master and self-signing keys.
 */
public final class RemoteDeviceListRepository {

    /** Where a user's cached list stands. */
    public record Cached(String userId, long streamId, boolean stale, String masterKey, String selfSigningKey) {
    }

    /** One cached device. */
    public record Device(String userId, String deviceId, String keyJson, String displayName) {
    }

    private static final String FIND = """
            SELECT user_id, stream_id, stale, master_key, self_signing_key FROM remote_device_lists
            WHERE user_id = :userId""";
    private static final String FRESH = """
            SELECT l.user_id, l.stream_id, l.stale, l.master_key, l.self_signing_key FROM remote_device_lists l
            WHERE l.user_id = ANY(:users) AND NOT l.stale
              AND EXISTS (SELECT 1 FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
                          WHERE a.user_id = l.user_id AND a.membership = 'join' AND b.membership = 'join'
                            AND substring(b.user_id from position(':' in b.user_id) + 1) = :self)""";
    private static final String DEVICES = """
            SELECT user_id, device_id, key_json, display_name FROM remote_device_keys WHERE user_id = ANY(:users)
            ORDER BY user_id, device_id""";
    private static final String UPSERT_LIST = """
            INSERT INTO remote_device_lists (user_id, stream_id, stale, master_key, self_signing_key, updated_ts)
            VALUES (:userId, :stream, FALSE, :master, :selfSigning, :now)
            ON CONFLICT (user_id) DO UPDATE SET stream_id = EXCLUDED.stream_id, stale = FALSE,
                master_key = EXCLUDED.master_key, self_signing_key = EXCLUDED.self_signing_key,
                updated_ts = EXCLUDED.updated_ts""";
    private static final String ADVANCE = """
            UPDATE remote_device_lists SET stream_id = :stream, updated_ts = :now WHERE user_id = :userId""";
    private static final String SIGNING_KEYS = """
            UPDATE remote_device_lists SET master_key = COALESCE(:master, master_key),
                self_signing_key = COALESCE(:selfSigning, self_signing_key), updated_ts = :now WHERE user_id = :userId""";
    private static final String MARK_STALE = "UPDATE remote_device_lists SET stale = TRUE WHERE user_id = :userId";
    private static final String PUT_DEVICE = """
            INSERT INTO remote_device_keys (user_id, device_id, key_json, display_name)
            VALUES (:userId, :device, :json, :name)
            ON CONFLICT (user_id, device_id) DO UPDATE SET key_json = EXCLUDED.key_json,
                display_name = EXCLUDED.display_name""";
    private static final String DELETE_DEVICE = """
            DELETE FROM remote_device_keys WHERE user_id = :userId AND device_id = :device""";
    private static final String TRACKED = """
            SELECT DISTINCT a.user_id FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
            WHERE a.user_id = ANY(:users) AND a.membership = 'join' AND b.membership = 'join'
              AND substring(b.user_id from position(':' in b.user_id) + 1) = :self""";
    private static final String DELETE_DEVICES = "DELETE FROM remote_device_keys WHERE user_id = :userId";

    private final Database db;

    public RemoteDeviceListRepository(Database db) {
        this.db = db;
    }

    public Mono<Cached> find(String userId) {
        return db.one(db.sql(FIND).bind("userId", userId), RemoteDeviceListRepository::cached);
    }

    /** Whether {@code userId} shares a room with a user of {@code self}: only then is their list kept here. */
    public Mono<Boolean> tracked(String userId, String self) {
        return tracked(List.of(userId), self).map(users -> !users.isEmpty());
    }

    /** The users of {@code userIds} who share a room with a user of {@code self}. */
    public Mono<List<String>> tracked(Collection<String> userIds, String self) {
        return db.many(db.sql(TRACKED).bind("users", userIds.toArray(String[]::new)).bind("self", self),
                r -> r.string("user_id"));
    }

    /**
     * The users of {@code userIds} whose cached list is complete and current: not stale, and still sharing a room
     * with a user of {@code self} (otherwise no update would reach this server).
     */
    public Mono<List<Cached>> fresh(Collection<String> userIds, String self) {
        return db.many(db.sql(FRESH).bind("users", userIds.toArray(String[]::new)).bind("self", self),
                RemoteDeviceListRepository::cached);
    }

    /** The cached devices of the users. */
    public Mono<List<Device>> devices(Collection<String> userIds) {
        return db.many(db.sql(DEVICES).bind("users", userIds.toArray(String[]::new)),
                r -> new Device(r.string("user_id"), r.string("device_id"), r.string("key_json"),
                        r.string("display_name")));
    }

    /** Replaces the user's whole cached list (after a resync). */
    public Mono<Void> replace(String userId, long streamId, String masterKey, String selfSigningKey,
            List<Device> devices, long nowMs) {
        return db.update(db.sql(DELETE_DEVICES).bind("userId", userId))
                .thenMany(Flux.fromIterable(devices).concatMap(d -> putDevice(d)))
                .then(db.update(Database.bindNullable(Database.bindNullable(db.sql(UPSERT_LIST)
                        .bind("userId", userId).bind("stream", streamId).bind("now", nowMs), "master", masterKey,
                        String.class), "selfSigning", selfSigningKey, String.class)))
                .then();
    }

    /** Stores (or replaces) one device and moves the user's list to {@code streamId}. */
    public Mono<Void> updateDevice(Device device, long streamId, long nowMs) {
        return putDevice(device).then(advance(device.userId(), streamId, nowMs));
    }

    /** Removes one device and moves the user's list to {@code streamId}. */
    public Mono<Void> deleteDevice(String userId, String deviceId, long streamId, long nowMs) {
        return db.update(db.sql(DELETE_DEVICE).bind("userId", userId).bind("device", deviceId))
                .then(advance(userId, streamId, nowMs));
    }

    /** Replaces the keys given (null: unchanged). */
    public Mono<Void> signingKeys(String userId, String masterKey, String selfSigningKey, long nowMs) {
        return db.update(Database.bindNullable(Database.bindNullable(db.sql(SIGNING_KEYS).bind("userId", userId)
                .bind("now", nowMs), "master", masterKey, String.class), "selfSigning", selfSigningKey,
                String.class)).then();
    }

    /** The cached copy missed updates: it is not answered from until a resync. */
    public Mono<Void> markStale(String userId) {
        return db.update(db.sql(MARK_STALE).bind("userId", userId)).then();
    }

    private Mono<Void> putDevice(Device d) {
        return db.update(Database.bindNullable(db.sql(PUT_DEVICE).bind("userId", d.userId())
                .bind("device", d.deviceId()).bind("json", d.keyJson()), "name", d.displayName(), String.class))
                .then();
    }

    private Mono<Void> advance(String userId, long streamId, long nowMs) {
        return db.update(db.sql(ADVANCE).bind("userId", userId).bind("stream", streamId).bind("now", nowMs)).then();
    }

    private static Cached cached(Database.Row r) {
        return new Cached(r.string("user_id"), r.longValue("stream_id"), r.bool("stale"), r.string("master_key"),
                r.string("self_signing_key"));
    }
}
