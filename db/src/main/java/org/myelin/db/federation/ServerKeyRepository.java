package org.myelin.db.federation;

import java.util.List;
import java.util.Optional;

import org.myelin.db.support.Database;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Other servers' verification keys ({@code server_keys}) and the documents they came in
 * ({@code server_key_documents}). A key once seen is never forgotten: old events stay verifiable.
 */
public final class ServerKeyRepository {

    private static final String FIND_KEY = """
            SELECT server_name, key_id, public_key, valid_until_ts, expired_ts FROM server_keys
            WHERE server_name = :server AND key_id = :key""";
    private static final String UPSERT_KEY = """
            INSERT INTO server_keys (server_name, key_id, public_key, valid_until_ts, expired_ts, fetched_ts)
            VALUES (:server, :key, :public, :valid, :expired, :fetched)
            ON CONFLICT (server_name, key_id) DO UPDATE SET
                valid_until_ts = CASE WHEN EXCLUDED.expired_ts IS NOT NULL THEN EXCLUDED.valid_until_ts
                                      ELSE GREATEST(server_keys.valid_until_ts, EXCLUDED.valid_until_ts) END,
                expired_ts = COALESCE(EXCLUDED.expired_ts, server_keys.expired_ts),
                fetched_ts = EXCLUDED.fetched_ts
            WHERE server_keys.public_key = EXCLUDED.public_key""";
    private static final String UPSERT_DOCUMENT = """
            INSERT INTO server_key_documents (server_name, document, valid_until_ts, fetched_ts)
            VALUES (:server, :document, :valid, :fetched)
            ON CONFLICT (server_name) DO UPDATE SET document = EXCLUDED.document,
                valid_until_ts = EXCLUDED.valid_until_ts, fetched_ts = EXCLUDED.fetched_ts
            WHERE server_key_documents.valid_until_ts <= EXCLUDED.valid_until_ts""";
    private static final String FIND_DOCUMENT = """
            SELECT document FROM server_key_documents WHERE server_name = :server AND valid_until_ts >= :min""";

    private final Database db;

    public ServerKeyRepository(Database db) {
        this.db = db;
    }

    /** The stored key {@code keyId} of {@code server}, whatever its validity. */
    public Mono<Optional<StoredKey>> find(String server, String keyId) {
        return db.many(db.sql(FIND_KEY).bind("server", server).bind("key", keyId), row -> new StoredKey(
                row.string("server_name"), row.string("key_id"), row.string("public_key"),
                row.longValue("valid_until_ts"), row.longValue("expired_ts")))
                .map(rows -> rows.stream().findFirst());
    }

    /**
     * Stores a checked document and its keys in one transaction. A key ID that comes back with different key
     * bytes is ignored: a server may not change what a published key ID means.
     */
    public Mono<Void> save(String server, String document, long validUntilTs, List<StoredKey> keys, long nowMs) {
        Mono<Long> saveKeys = Flux.fromIterable(keys)
                .concatMap(key -> db.update(Database.bindNullable(db.sql(UPSERT_KEY).bind("server", server)
                        .bind("key", key.keyId()).bind("public", key.publicKey()).bind("valid", key.validUntilTs())
                        .bind("fetched", nowMs), "expired", key.expiredTs(), Long.class)))
                .reduce(0L, Long::sum);
        Mono<Long> saveDocument = db.update(db.sql(UPSERT_DOCUMENT).bind("server", server).bind("document", document)
                .bind("valid", validUntilTs).bind("fetched", nowMs));
        return db.inTransaction(saveKeys.then(saveDocument)).then();
    }

    /** The newest stored document of {@code server} if it is valid until at least {@code minimumValidTs}. */
    public Mono<Optional<String>> document(String server, long minimumValidTs) {
        return db.many(db.sql(FIND_DOCUMENT).bind("server", server).bind("min", minimumValidTs),
                row -> row.string("document")).map(rows -> rows.stream().findFirst());
    }
}
