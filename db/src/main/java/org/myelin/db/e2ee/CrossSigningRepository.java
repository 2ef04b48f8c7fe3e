package org.myelin.db.e2ee;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Cross-signing keys ({@code cross_signing_keys}: master, self_signing, user_signing per user) and the signatures
 * uploaded for device and cross-signing keys ({@code cross_signing_signatures}).
 */
public final class CrossSigningRepository {

    /** A user's cross-signing key of {@code keyType} as uploaded. */
    public record StoredKey(String userId, String keyType, String keyJson) {
    }

    /** {@code signer}'s key {@code signerKeyId} signed {@code target}'s key {@code targetKeyId}. */
    public record Signature(String signerUserId, String signerKeyId, String targetUserId, String targetKeyId,
            String signature) {
    }

    private static final String KEYS = """
            SELECT user_id, key_type, key_json FROM cross_signing_keys WHERE user_id = ANY(:users)
            ORDER BY user_id, key_type""";
    private static final String PUT = """
            INSERT INTO cross_signing_keys (user_id, key_type, key_json, stream_id) VALUES (:userId, :type, :json, :stream)
            ON CONFLICT (user_id, key_type) DO UPDATE SET key_json = EXCLUDED.key_json, stream_id = EXCLUDED.stream_id""";
    private static final String SIGNATURES = """
            SELECT signer_user_id, signer_key_id, target_user_id, target_key_id, signature
            FROM cross_signing_signatures WHERE target_user_id = ANY(:users)""";
    private static final String PUT_SIGNATURES = """
            INSERT INTO cross_signing_signatures (signer_user_id, signer_key_id, target_user_id, target_key_id, signature)
            SELECT * FROM unnest(CAST(:signers AS TEXT[]), CAST(:signerKeys AS TEXT[]), CAST(:targets AS TEXT[]),
                                 CAST(:targetKeys AS TEXT[]), CAST(:signatures AS TEXT[]))
            ON CONFLICT (target_user_id, target_key_id, signer_user_id, signer_key_id)
                DO UPDATE SET signature = EXCLUDED.signature""";

    private final Database db;

    public CrossSigningRepository(Database db) {
        this.db = db;
    }

    /** The cross-signing keys of the users. */
    public Mono<List<StoredKey>> keys(Collection<String> userIds) {
        return db.many(db.sql(KEYS).bind("users", userIds.toArray(String[]::new)),
                r -> new StoredKey(r.string("user_id"), r.string("key_type"), r.string("key_json")));
    }

    /** Stores (or replaces) the user's key of {@code keyType}, changed at device-list position {@code position}. */
    public Mono<Void> put(String userId, String keyType, String keyJson, long position) {
        return db.update(db.sql(PUT).bind("userId", userId).bind("type", keyType).bind("json", keyJson)
                .bind("stream", position)).then();
    }

    /** Every uploaded signature of the users' keys. */
    public Mono<List<Signature>> signaturesOf(Collection<String> userIds) {
        return db.many(db.sql(SIGNATURES).bind("users", userIds.toArray(String[]::new)),
                r -> new Signature(r.string("signer_user_id"), r.string("signer_key_id"), r.string("target_user_id"),
                        r.string("target_key_id"), r.string("signature")));
    }

    /** Stores the signatures, replacing earlier ones by the same signer key of the same target key. */
    public Mono<Void> putSignatures(List<Signature> signatures) {
        if (signatures.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(PUT_SIGNATURES)
                .bind("signers", signatures.stream().map(Signature::signerUserId).toArray(String[]::new))
                .bind("signerKeys", signatures.stream().map(Signature::signerKeyId).toArray(String[]::new))
                .bind("targets", signatures.stream().map(Signature::targetUserId).toArray(String[]::new))
                .bind("targetKeys", signatures.stream().map(Signature::targetKeyId).toArray(String[]::new))
                .bind("signatures", signatures.stream().map(Signature::signature).toArray(String[]::new))).then();
    }
}
