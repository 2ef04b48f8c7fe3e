package org.myelin.federation.protocol.keys;

import java.util.OptionalLong;

import org.myelin.federation.protocol.crypto.VerifyKey;

/**
 * One verification key of a server as its key document lists it.
 *
 * @param key          the key under its ID
 * @param validUntilTs until when signatures made with it may be trusted: the document's {@code valid_until_ts}
 *                     for a current key, or its {@code expired_ts} for an old one
 * @param expiredTs    present for an {@code old_verify_keys} entry
 */
public record PublishedKey(VerifyKey key, long validUntilTs, OptionalLong expiredTs) {

    /**
     * Whether a signature of something dated {@code originServerTs} may be checked with this key. Room versions
     * 1–4 do not enforce key validity ({@code enforceValidity} false); later ones need the key valid at that time.
     */
    public boolean usableAt(long originServerTs, boolean enforceValidity) {
        return !enforceValidity || validUntilTs >= originServerTs;
    }
}
