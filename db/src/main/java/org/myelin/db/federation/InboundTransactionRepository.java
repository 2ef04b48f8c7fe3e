package org.myelin.db.federation;

import java.util.Optional;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Transactions other servers sent, so each (origin, transaction ID) is processed once across all nodes. */
public final class InboundTransactionRepository {

    private static final String CLAIM = """
            INSERT INTO federation_inbound_transactions (origin, txn_id, received_ts) VALUES (:origin, :txn, :now)
            ON CONFLICT (origin, txn_id) DO NOTHING""";
    private static final String RESPONSE = """
            SELECT response FROM federation_inbound_transactions WHERE origin = :origin AND txn_id = :txn""";
    private static final String FINISH = """
            UPDATE federation_inbound_transactions SET response = :response WHERE origin = :origin AND txn_id = :txn""";
    private static final String RELEASE = """
            DELETE FROM federation_inbound_transactions WHERE origin = :origin AND txn_id = :txn AND response IS NULL""";

    /**
     * What claiming a transaction found.
     *
     * @param claimed  true when this call is the first to see it and must process it
     * @param response the answer already given to it, when it was processed before
     */
    public record Claim(boolean claimed, Optional<String> response) {
    }

    private final Database db;

    public InboundTransactionRepository(Database db) {
        this.db = db;
    }

    /** Claims (origin, txnId) for processing, or reports the earlier answer (empty while another node works on it). */
    public Mono<Claim> claim(String origin, String txnId, long nowMs) {
        return db.update(db.sql(CLAIM).bind("origin", origin).bind("txn", txnId).bind("now", nowMs))
                .flatMap(inserted -> inserted > 0 ? Mono.just(new Claim(true, Optional.empty()))
                        : db.many(db.sql(RESPONSE).bind("origin", origin).bind("txn", txnId),
                                        row -> Optional.ofNullable(row.string("response")))
                                .map(rows -> new Claim(false, rows.stream().findFirst().flatMap(r -> r))));
    }

    /** Records the answer given to a claimed transaction. */
    public Mono<Void> finish(String origin, String txnId, String response) {
        return db.update(db.sql(FINISH).bind("origin", origin).bind("txn", txnId).bind("response", response)).then();
    }

    /** Gives up a claim whose processing failed, so that the origin's retry is processed. */
    public Mono<Void> release(String origin, String txnId) {
        return db.update(db.sql(RELEASE).bind("origin", origin).bind("txn", txnId)).then();
    }
}
