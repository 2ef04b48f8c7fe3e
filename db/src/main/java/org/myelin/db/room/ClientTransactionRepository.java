package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Responses of client requests made with a transaction id, so a retried request gets the first answer. */
public final class ClientTransactionRepository {

    private static final String SELECT = """
            SELECT response FROM client_transactions
            WHERE user_id = :userId AND device_id = :deviceId AND path = :path AND txn_id = :txnId""";
    private static final String INSERT = """
            INSERT INTO client_transactions (user_id, device_id, txn_id, path, response, created_ts)
            VALUES (:userId, :deviceId, :txnId, :path, CAST(:response AS JSONB), :now) ON CONFLICT DO NOTHING""";

    private final Database db;

    public ClientTransactionRepository(Database db) {
        this.db = db;
    }

    /** The stored response (JSON text) of this transaction, if it ran before. */
    public Mono<String> find(String userId, String deviceId, String path, String txnId) {
        return db.one(db.sql(SELECT).bind("userId", userId).bind("deviceId", deviceId).bind("path", path)
                .bind("txnId", txnId), r -> r.json("response"));
    }

    /** Stores the response; emits false when one was already stored (the first one stays). */
    public Mono<Boolean> insert(String userId, String deviceId, String path, String txnId, String responseJson,
            long nowMs) {
        return db.update(db.sql(INSERT).bind("userId", userId).bind("deviceId", deviceId).bind("path", path)
                .bind("txnId", txnId).bind("response", responseJson).bind("now", nowMs)).map(n -> n == 1);
    }
}
