package org.myelin.federation.protocol.crypto;

import java.security.SecureRandom;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;

/**
 * A server's Ed25519 signing key: the 32-byte seed (RFC 8032 private key) under its key ID.
 * {@link #toString()} never shows the seed.
 */
public final class SigningKey {

    private final KeyId keyId;
    private final Ed25519PrivateKeyParameters privateKey;
    private final VerifyKey verifyKey;

    private SigningKey(KeyId keyId, Ed25519PrivateKeyParameters privateKey) {
        if (!keyId.isEd25519()) {
            throw MatrixException.invalidParam("Unsupported key algorithm: " + keyId.algorithm());
        }
        this.keyId = keyId;
        this.privateKey = privateKey;
        this.verifyKey = VerifyKey.of(keyId, privateKey.generatePublicKey().getEncoded());
    }

    /** The key with this 32-byte seed; throws {@code M_INVALID_PARAM} for any other length. */
    public static SigningKey fromSeed(KeyId keyId, byte[] seed) {
        if (seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw MatrixException.invalidParam("An Ed25519 seed has 32 bytes, not " + seed.length);
        }
        return new SigningKey(keyId, new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** A new random key. */
    public static SigningKey generate(KeyId keyId, SecureRandom random) {
        return new SigningKey(keyId, new Ed25519PrivateKeyParameters(random));
    }

    /** The key's ID, e.g. {@code ed25519:a_Obwu}. */
    public KeyId keyId() {
        return keyId;
    }

    /** The matching public key, to publish under {@code verify_keys}. */
    public VerifyKey verifyKey() {
        return verifyKey;
    }

    /** A copy of the 32-byte seed, for storing the key. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    /** The 64-byte Ed25519 signature of {@code message}. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + ", public " + verifyKey.toBase64() + "]";
    }
}
