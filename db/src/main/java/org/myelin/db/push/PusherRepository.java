package org.myelin.db.push;

import java.util.List;

import org.myelin.db.support.Database;

import io.r2dbc.postgresql.codec.Json;
import reactor.core.publisher.Mono;

/**
 * Pushers ({@code pushers}) and the deliveries queued for them ({@code push_deliveries}). A delivery is claimed by
 * one node at a time ({@code FOR UPDATE SKIP LOCKED} and a lease, which a node that dies lets run out), and only
 * while its pusher is not backing off after failures.
 */
public final class PusherRepository {

    /** One pusher; {@code dataJson} is its {@code data} object, {@code pushkeyTs} in milliseconds. */
    public record Pusher(long id, String userId, String deviceId, String kind, String appId, String pushkey,
            String appDisplayName, String deviceDisplayName, String profileTag, String lang, String dataJson,
            long pushkeyTs) {
    }

    /** A claimed delivery: the notification's event for the pusher, and how often it was tried before. */
    public record Delivery(long id, int attempts, String eventId, Pusher pusher) {
    }

    private static final String COLUMNS = "p.id, p.user_id, p.device_id, p.kind, p.app_id, p.pushkey, "
            + "p.app_display_name, p.device_display_name, p.profile_tag, p.lang, p.data, p.pushkey_ts";
    private static final String LIST = "SELECT " + COLUMNS + " FROM pushers p WHERE p.user_id = :user ORDER BY p.id";
    private static final String DELETE_OTHER_USERS = """
            DELETE FROM pushers WHERE app_id = :appId AND pushkey = :pushkey AND user_id <> :user""";
    private static final String UPSERT = """
            INSERT INTO pushers (user_id, device_id, kind, app_id, pushkey, app_display_name, device_display_name,
                profile_tag, lang, data, pushkey_ts)
            VALUES (:user, :device, :kind, :appId, :pushkey, :appName, :deviceName, :profileTag, :lang, :data, :ts)
            ON CONFLICT (user_id, app_id, pushkey) DO UPDATE SET device_id = EXCLUDED.device_id,
                kind = EXCLUDED.kind, app_display_name = EXCLUDED.app_display_name,
                device_display_name = EXCLUDED.device_display_name, profile_tag = EXCLUDED.profile_tag,
                lang = EXCLUDED.lang, data = EXCLUDED.data, pushkey_ts = EXCLUDED.pushkey_ts,
                failures = 0, retry_after_ts = 0""";
    private static final String DELETE = """
            DELETE FROM pushers WHERE user_id = :user AND app_id = :appId AND pushkey = :pushkey""";
    private static final String CLAIM = """
            UPDATE push_deliveries d SET lease_owner = :node, lease_until_ts = :until
            FROM (SELECT d2.id FROM push_deliveries d2 JOIN pushers p2 ON p2.id = d2.pusher_id
                  WHERE d2.next_attempt_ts <= :now AND d2.lease_until_ts < :now AND p2.retry_after_ts <= :now
                  ORDER BY d2.id LIMIT :limit FOR UPDATE OF d2 SKIP LOCKED) c, pushers p
            WHERE d.id = c.id AND p.id = d.pusher_id
            RETURNING d.id AS delivery_id, d.attempts, d.event_id, %s""".formatted(COLUMNS);
    private static final String DELIVERED = "DELETE FROM push_deliveries WHERE id = :id AND lease_owner = :node";
    private static final String PUSHER_OK = "UPDATE pushers SET failures = 0, retry_after_ts = 0 WHERE id = :id";
    private static final String FAILED = """
            UPDATE push_deliveries SET attempts = attempts + 1, next_attempt_ts = :next, lease_until_ts = 0
            WHERE id = :id AND lease_owner = :node""";
    private static final String PUSHER_FAILED = """
            UPDATE pushers SET failures = failures + 1, retry_after_ts = GREATEST(retry_after_ts, :next)
            WHERE id = :id""";

    private final Database db;

    public PusherRepository(Database db) {
        this.db = db;
    }

    /** The user's pushers, oldest first. */
    public Mono<List<Pusher>> list(String userId) {
        return db.many(db.sql(LIST).bind("user", userId), PusherRepository::pusher);
    }

    /**
     * Creates or updates the user's pusher for (app ID, pushkey); unless {@code append}, other users' pushers with
     * the same app ID and pushkey are removed. Runs in one transaction.
     */
    public Mono<Void> set(Pusher p, boolean append) {
        Mono<Long> others = append ? Mono.just(0L) : db.update(db.sql(DELETE_OTHER_USERS)
                .bind("appId", p.appId()).bind("pushkey", p.pushkey()).bind("user", p.userId()));
        var upsert = db.sql(UPSERT).bind("user", p.userId()).bind("device", p.deviceId()).bind("kind", p.kind())
                .bind("appId", p.appId()).bind("pushkey", p.pushkey()).bind("appName", p.appDisplayName())
                .bind("deviceName", p.deviceDisplayName()).bind("lang", p.lang()).bind("data", Json.of(p.dataJson()))
                .bind("ts", p.pushkeyTs());
        upsert = Database.bindNullable(upsert, "profileTag", p.profileTag(), String.class);
        return db.inTransaction(others.then(db.update(upsert))).then();
    }

    /** Deletes the user's pusher for (app ID, pushkey); emits whether there was one. */
    public Mono<Boolean> delete(String userId, String appId, String pushkey) {
        return db.update(db.sql(DELETE).bind("user", userId).bind("appId", appId).bind("pushkey", pushkey))
                .map(n -> n > 0);
    }

    /** Claims up to {@code limit} due deliveries for this node until {@code untilMs}, oldest first. */
    public Mono<List<Delivery>> claim(String node, long nowMs, long untilMs, int limit) {
        return db.many(db.sql(CLAIM).bind("node", node).bind("now", nowMs).bind("until", untilMs)
                .bind("limit", limit), row -> new Delivery(row.longValue("delivery_id"), row.intValue("attempts"),
                        row.string("event_id"), pusher(row)));
    }

    /** The delivery is done (accepted, or given up): it goes, and its pusher is no longer failing. */
    public Mono<Void> delivered(Delivery delivery, String node) {
        return db.update(db.sql(DELIVERED).bind("id", delivery.id()).bind("node", node))
                .then(db.update(db.sql(PUSHER_OK).bind("id", delivery.pusher().id()))).then();
    }

    /** The delivery failed: it is tried again at {@code nextMs}, and its pusher sends nothing before then. */
    public Mono<Void> failed(Delivery delivery, String node, long nextMs) {
        return db.update(db.sql(FAILED).bind("id", delivery.id()).bind("node", node).bind("next", nextMs))
                .then(db.update(db.sql(PUSHER_FAILED).bind("id", delivery.pusher().id()).bind("next", nextMs)))
                .then();
    }

    /** Gives a delivery up without touching its pusher's state. */
    public Mono<Void> drop(Delivery delivery, String node) {
        return db.update(db.sql(DELIVERED).bind("id", delivery.id()).bind("node", node)).then();
    }

    private static Pusher pusher(Database.Row row) {
        return new Pusher(row.longValue("id"), row.string("user_id"), row.string("device_id"), row.string("kind"),
                row.string("app_id"), row.string("pushkey"), row.string("app_display_name"),
                row.string("device_display_name"), row.string("profile_tag"), row.string("lang"), row.json("data"),
                row.longValue("pushkey_ts"));
    }
}
