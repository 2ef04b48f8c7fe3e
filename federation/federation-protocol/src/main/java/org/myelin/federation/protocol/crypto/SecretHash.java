package org.myelin.federation.protocol.crypto;

import java.nio.charset.StandardCharsets;

/**
 * The SHA-256 under which bearer secrets (access, refresh and OpenID tokens, mailed validation tokens) are stored
 * and looked up. Each secret is 32 random bytes, so a fast hash is enough: there is nothing to brute-force. Both
 * APIs use it: a token issued over the client API is checked over the server-server API.
 */
public final class SecretHash {

    private SecretHash() {
    }

    public static byte[] of(String secret) {
        return Sha256.digest(secret.getBytes(StandardCharsets.UTF_8));
    }
}
