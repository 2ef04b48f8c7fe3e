package org.myelin.db.e2ee;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * One-time keys ({@code one_time_keys}) and fallback keys ({@code fallback_keys}) of devices. A claim takes a
 * one-time key out in the statement that reads it ({@code DELETE ... RETURNING} over rows locked with
 * {@code FOR UPDATE SKIP LOCKED}), so concurrent claims on any node never return the same key; a device without
 * one gets its fallback key, which stays and is marked used.
 */
public final class OneTimeKeyRepository {

    /** A key as uploaded: {@code <algorithm>:<keyId>} → {@code keyJson}. */
    public record Key(String algorithm, String keyId, String keyJson) {
    }

    /** A claim for one device: a key of {@code algorithm}. */
    public record Claim(String userId, String deviceId, String algorithm) {
    }

    /** A key handed out for a claim. */
    public record Claimed(String userId, String deviceId, String algorithm, String keyId, String keyJson) {
    }

    private static final String EXISTING = """
            SELECT algorithm, key_id, key_json FROM one_time_keys
            WHERE user_id = :userId AND device_id = :device
              AND (algorithm, key_id) IN (SELECT * FROM unnest(CAST(:algorithms AS TEXT[]), CAST(:ids AS TEXT[])))""";
    private static final String INSERT = """
            INSERT INTO one_time_keys (user_id, device_id, algorithm, key_id, key_json)
            SELECT :userId, :device, k.algorithm, k.key_id, k.key_json
            FROM unnest(CAST(:algorithms AS TEXT[]), CAST(:ids AS TEXT[]), CAST(:jsons AS TEXT[]))
                AS k(algorithm, key_id, key_json)
            ON CONFLICT DO NOTHING""";
    private static final String COUNTS = """
            SELECT algorithm, count(*) AS n FROM one_time_keys WHERE user_id = :userId AND device_id = :device
            GROUP BY algorithm""";
    /* The same key again keeps its used flag (a client retrying its upload); another key starts unused. */
    private static final String PUT_FALLBACK = """
            INSERT INTO fallback_keys (user_id, device_id, algorithm, key_id, key_json)
            VALUES (:userId, :device, :algorithm, :keyId, :json)
            ON CONFLICT (user_id, device_id, algorithm) DO UPDATE
                SET key_id = EXCLUDED.key_id, key_json = EXCLUDED.key_json,
                    used = fallback_keys.used AND fallback_keys.key_id = EXCLUDED.key_id
                           AND fallback_keys.key_json = EXCLUDED.key_json""";
    private static final String UNUSED_FALLBACK = """
            SELECT algorithm FROM fallback_keys WHERE user_id = :userId AND device_id = :device AND NOT used
            ORDER BY algorithm""";
    private static final String CLAIM = """
            WITH wanted AS (
                SELECT DISTINCT * FROM unnest(CAST(:users AS TEXT[]), CAST(:devices AS TEXT[]),
                                              CAST(:algorithms AS TEXT[])) AS w(user_id, device_id, algorithm)
            ), picked AS (
                SELECT k.user_id, k.device_id, k.algorithm, k.key_id FROM wanted w
                CROSS JOIN LATERAL (
                    SELECT o.user_id, o.device_id, o.algorithm, o.key_id FROM one_time_keys o
                    WHERE o.user_id = w.user_id AND o.device_id = w.device_id AND o.algorithm = w.algorithm
                    ORDER BY o.key_id LIMIT 1 FOR UPDATE SKIP LOCKED) k
            )
            DELETE FROM one_time_keys o USING picked p
            WHERE o.user_id = p.user_id AND o.device_id = p.device_id AND o.algorithm = p.algorithm
              AND o.key_id = p.key_id
            RETURNING o.user_id, o.device_id, o.algorithm, o.key_id, o.key_json""";
    private static final String CLAIM_FALLBACK = """
            UPDATE fallback_keys f SET used = TRUE
            FROM unnest(CAST(:users AS TEXT[]), CAST(:devices AS TEXT[]), CAST(:algorithms AS TEXT[]))
                AS w(user_id, device_id, algorithm)
            WHERE f.user_id = w.user_id AND f.device_id = w.device_id AND f.algorithm = w.algorithm
            RETURNING f.user_id, f.device_id, f.algorithm, f.key_id, f.key_json""";

    private final Database db;

    public OneTimeKeyRepository(Database db) {
        this.db = db;
    }

    /** The stored keys among {@code keys} (matched by algorithm and key ID), to compare with a re-upload. */
    public Mono<List<Key>> existing(String userId, String deviceId, List<Key> keys) {
        if (keys.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.many(db.sql(EXISTING).bind("userId", userId).bind("device", deviceId)
                .bind("algorithms", keys.stream().map(Key::algorithm).toArray(String[]::new))
                .bind("ids", keys.stream().map(Key::keyId).toArray(String[]::new)),
                r -> new Key(r.string("algorithm"), r.string("key_id"), r.string("key_json")));
    }

    /** Adds the keys; those already stored are kept as they are. */
    public Mono<Void> insert(String userId, String deviceId, List<Key> keys) {
        if (keys.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(INSERT).bind("userId", userId).bind("device", deviceId)
                .bind("algorithms", keys.stream().map(Key::algorithm).toArray(String[]::new))
                .bind("ids", keys.stream().map(Key::keyId).toArray(String[]::new))
                .bind("jsons", keys.stream().map(Key::keyJson).toArray(String[]::new))).then();
    }

    /** The number of unclaimed one-time keys of the device, by algorithm. */
    public Mono<Map<String, Long>> counts(String userId, String deviceId) {
        return db.many(db.sql(COUNTS).bind("userId", userId).bind("device", deviceId),
                r -> Map.entry(r.string("algorithm"), r.longValue("n"))).map(rows -> {
                    Map<String, Long> out = new LinkedHashMap<>();
                    rows.forEach(e -> out.put(e.getKey(), e.getValue()));
                    return out;
                });
    }

    /** Makes {@code key} the device's fallback key of its algorithm, replacing the previous one. */
    public Mono<Void> putFallback(String userId, String deviceId, Key key) {
        return db.update(db.sql(PUT_FALLBACK).bind("userId", userId).bind("device", deviceId)
                .bind("algorithm", key.algorithm()).bind("keyId", key.keyId()).bind("json", key.keyJson())).then();
    }

    /** The algorithms of the device's fallback keys not handed out since they were uploaded. */
    public Mono<List<String>> unusedFallbackAlgorithms(String userId, String deviceId) {
        return db.many(db.sql(UNUSED_FALLBACK).bind("userId", userId).bind("device", deviceId),
                r -> r.string("algorithm"));
    }

    /**
     * Hands out one key per claim: a one-time key, deleted as it is read, else the device's fallback key of that
     * algorithm (marked used). Claims with neither get nothing. Each of the two statements is atomic on its own,
     * so they run without a surrounding transaction (two round trips fewer per claim).
     */
    public Mono<List<Claimed>> claim(List<Claim> claims) {
        if (claims.isEmpty()) {
            return Mono.just(List.of());
        }
        return run(CLAIM, claims).flatMap(oneTime -> {
            Set<Claim> served = new HashSet<>();
            oneTime.forEach(c -> served.add(new Claim(c.userId(), c.deviceId(), c.algorithm())));
            List<Claim> rest = claims.stream().distinct().filter(c -> !served.contains(c)).toList();
            if (rest.isEmpty()) {
                return Mono.just(oneTime);
            }
            return run(CLAIM_FALLBACK, rest).map(fallback -> {
                List<Claimed> all = new ArrayList<>(oneTime);
                all.addAll(fallback);
                return all;
            });
        });
    }

    private Mono<List<Claimed>> run(String sql, List<Claim> claims) {
        return db.many(db.sql(sql)
                .bind("users", claims.stream().map(Claim::userId).toArray(String[]::new))
                .bind("devices", claims.stream().map(Claim::deviceId).toArray(String[]::new))
                .bind("algorithms", claims.stream().map(Claim::algorithm).toArray(String[]::new)),
                r -> new Claimed(r.string("user_id"), r.string("device_id"), r.string("algorithm"),
                        r.string("key_id"), r.string("key_json")));
    }
}
