package org.myelin.db.account;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A user's devices. Deleting a device also deletes its access and refresh tokens and its end-to-end encryption keys.
 */
public final class DeviceRepository {

    private static final String UPSERT = """
            INSERT INTO devices (user_id, device_id, display_name, created_ts, last_seen_ts, last_seen_ip)
            VALUES (:userId, :deviceId, :displayName, :now, :now, :ip)
            ON CONFLICT (user_id, device_id) DO UPDATE
            SET display_name = COALESCE(EXCLUDED.display_name, devices.display_name),
                last_seen_ts = EXCLUDED.last_seen_ts, last_seen_ip = EXCLUDED.last_seen_ip""";
    private static final String SELECT = """
            SELECT user_id, device_id, display_name, last_seen_ts, last_seen_ip FROM devices
            WHERE user_id = :userId""";
    private static final String RENAME = """
            UPDATE devices SET display_name = :displayName WHERE user_id = :userId AND device_id = :deviceId""";
    private static final String TOUCH = """
            UPDATE devices SET last_seen_ts = :now, last_seen_ip = :ip
            WHERE user_id = :userId AND device_id = :deviceId AND (last_seen_ts IS NULL OR last_seen_ts < :now - 60000)""";
    private static final String DELETE_ACCESS = """
            DELETE FROM access_tokens WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_REFRESH = """
            DELETE FROM refresh_tokens WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_DEVICES = """
            DELETE FROM devices WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    /* A deleted device's keys go with it: a device later logged in under the same ID starts without them. */
    private static final String DELETE_DEVICE_KEYS = """
            DELETE FROM device_keys WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_ONE_TIME_KEYS = """
            DELETE FROM one_time_keys WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_FALLBACK_KEYS = """
            DELETE FROM fallback_keys WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_DEVICE_SIGNATURES = """
            DELETE FROM cross_signing_signatures
            WHERE (target_user_id = :userId AND target_key_id = ANY(:deviceIds))
               OR (signer_user_id = :userId AND substr(signer_key_id, 9) = ANY(:deviceIds)
                   AND signer_key_id LIKE 'ed25519:%')""";
    private static final String DELETE_DEHYDRATED = """
            DELETE FROM dehydrated_devices WHERE user_id = :userId AND device_id = ANY(:deviceIds)""";
    private static final String DELETE_ALL_ACCESS = "DELETE FROM access_tokens WHERE user_id = :userId";
    private static final String DELETE_ALL_REFRESH = "DELETE FROM refresh_tokens WHERE user_id = :userId";
    private static final String DELETE_ALL_DEVICES = "DELETE FROM devices WHERE user_id = :userId";

    private final Database db;

    public DeviceRepository(Database db) {
        this.db = db;
    }

    /** Creates the device, or refreshes its last-seen data (and display name, when one is given). */
    public Mono<Long> upsert(String userId, String deviceId, String displayName, String ip, long nowMs) {
        var spec = db.sql(UPSERT).bind("userId", userId).bind("deviceId", deviceId).bind("now", nowMs);
        spec = Database.bindNullable(spec, "displayName", displayName, String.class);
        return db.update(Database.bindNullable(spec, "ip", ip, String.class));
    }

    public Mono<List<DeviceRow>> list(String userId) {
        return db.many(db.sql(SELECT + " ORDER BY device_id").bind("userId", userId), DeviceRepository::map);
    }

    public Mono<DeviceRow> find(String userId, String deviceId) {
        return db.one(db.sql(SELECT + " AND device_id = :deviceId").bind("userId", userId)
                .bind("deviceId", deviceId), DeviceRepository::map);
    }

    /** Emits the number of devices renamed (0 when the device does not exist). */
    public Mono<Long> rename(String userId, String deviceId, String displayName) {
        return db.update(Database.bindNullable(db.sql(RENAME).bind("userId", userId).bind("deviceId", deviceId),
                "displayName", displayName, String.class));
    }

    /** Records activity, at most once a minute per device so busy clients do not write on every request. */
    public Mono<Long> touch(String userId, String deviceId, String ip, long nowMs) {
        return db.update(Database.bindNullable(db.sql(TOUCH).bind("userId", userId).bind("deviceId", deviceId)
                .bind("now", nowMs), "ip", ip, String.class));
    }

    /**
     * Deletes the devices, every token they hold and their end-to-end encryption keys (device, one-time and
     * fallback keys, signatures of and by them), in one transaction.
     */
    public Mono<Void> delete(String userId, Collection<String> deviceIds) {
        String[] ids = deviceIds.toArray(String[]::new);
        return db.inTransaction(Flux.just(DELETE_ACCESS, DELETE_REFRESH, DELETE_DEVICE_KEYS, DELETE_ONE_TIME_KEYS,
                        DELETE_FALLBACK_KEYS, DELETE_DEVICE_SIGNATURES, DELETE_DEHYDRATED, DELETE_DEVICES)
                .concatMap(sql -> db.update(db.sql(sql).bind("userId", userId).bind("deviceIds", ids)))
                .then());
    }

    /** Deletes every device, token and device key of the user; emits the IDs of the devices deleted. */
    public Mono<List<String>> deleteAll(String userId) {
        return db.inTransaction(db.many(db.sql("SELECT device_id FROM devices WHERE user_id = :userId FOR UPDATE")
                        .bind("userId", userId), r -> r.string("device_id"))
                .flatMap(ids -> db.update(db.sql(DELETE_ALL_ACCESS).bind("userId", userId))
                        .then(db.update(db.sql(DELETE_ALL_REFRESH).bind("userId", userId)))
                        .then(delete(userId, ids))
                        .then(db.update(db.sql(DELETE_ALL_DEVICES).bind("userId", userId)))
                        .thenReturn(ids)));
    }

    private static DeviceRow map(Database.Row r) {
        return new DeviceRow(r.string("user_id"), r.string("device_id"), r.string("display_name"),
                r.longValue("last_seen_ts"), r.string("last_seen_ip"));
    }
}
