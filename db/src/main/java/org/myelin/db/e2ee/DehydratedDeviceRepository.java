package org.myelin.db.e2ee;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Users' dehydrated devices ({@code dehydrated_devices}, MSC3814): at most one per user. The device itself is a row
 * of {@code devices}; deleting it (DeviceRepository) deletes this row too.
 */
public final class DehydratedDeviceRepository {

    /** A dehydrated device and its encrypted state (a JSON object). */
    public record Dehydrated(String deviceId, String deviceDataJson) {
    }

    private static final String FIND = "SELECT device_id, device_data FROM dehydrated_devices WHERE user_id = :userId";
    private static final String PUT = """
            INSERT INTO dehydrated_devices (user_id, device_id, device_data) VALUES (:userId, :device, :data)
            ON CONFLICT (user_id) DO UPDATE SET device_id = EXCLUDED.device_id, device_data = EXCLUDED.device_data""";

    private final Database db;

    public DehydratedDeviceRepository(Database db) {
        this.db = db;
    }

    /** The user's dehydrated device, or empty. */
    public Mono<Dehydrated> find(String userId) {
        return db.one(db.sql(FIND).bind("userId", userId),
                r -> new Dehydrated(r.string("device_id"), r.json("device_data")));
    }

    /** Makes {@code deviceId} the user's dehydrated device. */
    public Mono<Void> put(String userId, String deviceId, String deviceDataJson) {
        return db.update(db.sql(PUT).bind("userId", userId).bind("device", deviceId).bind("data", deviceDataJson))
                .then();
    }
}
