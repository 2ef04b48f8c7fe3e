package org.myelin.db.ephemeral;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Send-to-device messages ({@code to_device_messages}) and the transaction IDs already applied
 * ({@code to_device_txns}). A message stays until its device acknowledges a sync that delivered it.
 */
public final class ToDeviceRepository {

    /** A message for one device. */
    public record Message(String userId, String deviceId, String contentJson) {
    }

    /** A message as delivered. */
    public record Delivery(long streamId, String sender, String type, String contentJson) {
    }

    private static final String RECORD_TXN = """
            INSERT INTO to_device_txns (sender, device_id, txn_id, created_ts) VALUES (:sender, :device, :txn, :now)
            ON CONFLICT DO NOTHING""";
    private static final String DEVICES = "SELECT device_id FROM devices WHERE user_id = :userId ORDER BY device_id";
    private static final String INSERT = """
            INSERT INTO to_device_messages (stream_id, user_id, device_id, sender, type, content)
            SELECT m.stream_id, m.user_id, m.device_id, :sender, :type, CAST(m.content AS JSONB)
            FROM unnest(CAST(:ids AS BIGINT[]), CAST(:users AS TEXT[]), CAST(:devices AS TEXT[]),
                        CAST(:contents AS TEXT[])) AS m(stream_id, user_id, device_id, content)""";
    private static final String PENDING = """
            SELECT stream_id, sender, type, content FROM to_device_messages
            WHERE user_id = :userId AND device_id = :device AND stream_id > :since AND stream_id <= :upTo
            ORDER BY stream_id LIMIT :limit""";
    private static final String ACKNOWLEDGE = "DELETE FROM to_device_messages "
            + "WHERE user_id = :userId AND device_id = :device AND stream_id <= :upTo";

    private final Database db;

    public ToDeviceRepository(Database db) {
        this.db = db;
    }

    /** Records a transaction ID; emits false when the sender's device already used it. */
    public Mono<Boolean> recordTransaction(String sender, String deviceId, String txnId, long now) {
        return db.update(db.sql(RECORD_TXN).bind("sender", sender).bind("device", deviceId).bind("txn", txnId)
                .bind("now", now)).map(n -> n > 0);
    }

    /** The IDs of the user's devices. */
    public Mono<List<String>> devices(String userId) {
        return db.many(db.sql(DEVICES).bind("userId", userId), r -> r.string("device_id"));
    }

    /** Stores {@code messages} under the positions {@code (lastPosition - size, lastPosition]}, in order. */
    public Mono<Void> insert(String sender, String type, List<Message> messages, long lastPosition) {
        int n = messages.size();
        Long[] ids = new Long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = lastPosition - n + 1 + i;
        }
        return db.update(db.sql(INSERT).bind("sender", sender).bind("type", type).bind("ids", ids)
                .bind("users", messages.stream().map(Message::userId).toArray(String[]::new))
                .bind("devices", messages.stream().map(Message::deviceId).toArray(String[]::new))
                .bind("contents", messages.stream().map(Message::contentJson).toArray(String[]::new))).then();
    }

    /** The device's first {@code limit} messages in {@code (since, upTo]}, oldest first. */
    public Mono<List<Delivery>> pending(String userId, String deviceId, long since, long upTo, int limit) {
        return db.many(db.sql(PENDING).bind("userId", userId).bind("device", deviceId).bind("since", since)
                .bind("upTo", upTo).bind("limit", limit), r -> new Delivery(r.longValue("stream_id"), r.string("sender"),
                        r.string("type"), r.json("content")));
    }

    /** Deletes the device's messages up to {@code upTo}: the client has acknowledged them. */
    public Mono<Long> acknowledge(String userId, String deviceId, long upTo) {
        return db.update(db.sql(ACKNOWLEDGE).bind("userId", userId).bind("device", deviceId).bind("upTo", upTo));
    }
}
