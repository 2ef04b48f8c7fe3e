package org.myelin.voip.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless NONCE values for long-term credentials: {@code <expiry-seconds-hex>} followed by a truncated HMAC of it
 * under a key drawn at start. Nothing is stored; a nonce is accepted until it expires (then 438 Stale Nonce), and every
 * nonce of a previous process is stale after a restart.
 */
final class NonceIssuer {

    private static final int EXPIRY_HEX_LENGTH = 12;
    private static final int MAC_HEX_LENGTH = 20;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;

    NonceIssuer(Duration lifetime, Clock clock) {
        this(randomKey(), lifetime, clock);
    }

    NonceIssuer(byte[] key, Duration lifetime, Clock clock) {
        this.key = key.clone();
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A fresh nonce valid for the configured lifetime. */
    String issue() {
        long expiry = clock.instant().getEpochSecond() + lifetime.toSeconds();
        String head = String.format("%0" + EXPIRY_HEX_LENGTH + "x", expiry);
        return head + mac(head);
    }

    /** The state of a nonce a client sent back. */
    enum Verdict { VALID, STALE, INVALID }

    Verdict check(String nonce) {
        if (nonce.length() != EXPIRY_HEX_LENGTH + MAC_HEX_LENGTH) {
            return Verdict.INVALID;
        }
        String head = nonce.substring(0, EXPIRY_HEX_LENGTH);
        byte[] given = nonce.substring(EXPIRY_HEX_LENGTH).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, mac(head).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        long expiry;
        try {
            expiry = Long.parseLong(head, 16);
        } catch (NumberFormatException e) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() < expiry ? Verdict.VALID : Verdict.STALE;
    }

    private String mac(String head) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(head.getBytes(StandardCharsets.US_ASCII));
            return HEX.formatHex(digest).substring(0, MAC_HEX_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
