package org.myelin.clientapi.auth;

import java.security.SecureRandom;
import java.util.Base64;

import org.myelin.federation.protocol.crypto.SecretHash;

/**
 * Random bearer secrets (access tokens, refresh tokens, UIA session ids, device ids) and the SHA-256 hashes under
 * which tokens are stored. A token is 32 random bytes, so a fast hash is enough: nothing to brute-force.
 */
public final class SecretTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    private static final char[] DEVICE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

    private SecretTokens() {
    }

    /** A new access token. */
    public static String accessToken() {
        return "mya_" + random(32);
    }

    /** A new refresh token. */
    public static String refreshToken() {
        return "myr_" + random(32);
    }

    /** An opaque id, e.g. a UIA session or a nonce. */
    public static String opaqueId() {
        return random(18);
    }

    /** A device id the way clients are used to seeing them: ten upper-case letters. */
    public static String deviceId() {
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = DEVICE_ALPHABET[RANDOM.nextInt(DEVICE_ALPHABET.length)];
        }
        return new String(id);
    }

    /** A new OpenID token. */
    public static String openIdToken() {
        return "myo_" + random(32);
    }

    /** A new token to mail to an address being validated. */
    public static String validationToken() {
        return random(32);
    }

    /** The SHA-256 under which a token is stored and looked up. */
    public static byte[] hash(String token) {
        return SecretHash.of(token);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return URL.encodeToString(b);
    }
}
