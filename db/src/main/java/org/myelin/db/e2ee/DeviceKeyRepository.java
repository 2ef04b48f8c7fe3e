package org.myelin.db.e2ee;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Devices' identity keys ({@code device_keys}), as uploaded. */
public final class DeviceKeyRepository {

    /** One device's stored keys and its display name (null when it has none). */
    public record StoredDeviceKeys(String userId, String deviceId, String keyJson, String displayName) {
    }

    /** One entry of a query: a user, and one of their devices or {@code null} for all of them. */
    public record Wanted(String userId, String deviceId) {
    }

    private static final String FIND = "SELECT key_json FROM device_keys WHERE user_id = :userId AND device_id = :device";
    private static final String PUT = """
            INSERT INTO device_keys (user_id, device_id, key_json) VALUES (:userId, :device, :json)
            ON CONFLICT (user_id, device_id) DO UPDATE SET key_json = EXCLUDED.key_json""";
    /* '' stands for "all devices": device IDs are never empty, and an array element is never NULL this way. */
    private static final String QUERY = """
            SELECT DISTINCT k.user_id, k.device_id, k.key_json, d.display_name
            FROM unnest(CAST(:users AS TEXT[]), CAST(:devices AS TEXT[])) AS w(user_id, device_id)
            JOIN device_keys k ON k.user_id = w.user_id AND (w.device_id = '' OR k.device_id = w.device_id)
            LEFT JOIN devices d ON d.user_id = k.user_id AND d.device_id = k.device_id
            ORDER BY k.user_id, k.device_id""";

    private final Database db;

    public DeviceKeyRepository(Database db) {
        this.db = db;
    }

    /** The device's keys as stored, or empty. */
    public Mono<String> find(String userId, String deviceId) {
        return db.one(db.sql(FIND).bind("userId", userId).bind("device", deviceId), r -> r.string("key_json"));
    }

    /** Stores (or replaces) the device's keys. */
    public Mono<Void> put(String userId, String deviceId, String keyJson) {
        return db.update(db.sql(PUT).bind("userId", userId).bind("device", deviceId).bind("json", keyJson)).then();
    }

    /** The stored keys of the wanted devices, in one query. */
    public Mono<List<StoredDeviceKeys>> query(List<Wanted> wanted) {
        if (wanted.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.many(db.sql(QUERY)
                .bind("users", wanted.stream().map(Wanted::userId).toArray(String[]::new))
                .bind("devices", wanted.stream().map(w -> w.deviceId() == null ? "" : w.deviceId())
                        .toArray(String[]::new)),
                r -> new StoredDeviceKeys(r.string("user_id"), r.string("device_id"), r.string("key_json"),
                        r.string("display_name")));
    }
}
