package org.myelin.db.federation;

/**
 * One key of another server as stored.
 *
 * @param publicKey    unpadded base64 Ed25519 key
 * @param validUntilTs until when it may verify signatures (its document's {@code valid_until_ts}, or
 *                     {@code expired_ts} for an old key)
 * @param expiredTs    set for keys published as {@code old_verify_keys}
 */
public record StoredKey(String serverName, String keyId, String publicKey, long validUntilTs, Long expiredTs) {
}
