package org.myelin.federation.protocol.crypto;

import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;

/** An Ed25519 public (verification) key under its key ID, as published in {@code verify_keys}. */
public final class VerifyKey {

    private final KeyId keyId;
    private final byte[] key;
    private final Ed25519PublicKeyParameters parameters;

    private VerifyKey(KeyId keyId, byte[] key) {
        if (!keyId.isEd25519()) {
            throw MatrixException.invalidParam("Unsupported key algorithm: " + keyId.algorithm());
        }
        if (key.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw MatrixException.invalidParam("An Ed25519 public key has 32 bytes, not " + key.length);
        }
        try {
            this.parameters = new Ed25519PublicKeyParameters(key, 0);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Not a valid Ed25519 public key");
        }
        this.keyId = keyId;
        this.key = key.clone();
    }

    /** A key from its 32 raw bytes; throws {@code M_INVALID_PARAM} if they are not an Ed25519 point. */
    public static VerifyKey of(KeyId keyId, byte[] key) {
        return new VerifyKey(keyId, key);
    }

    /** A key from its unpadded base64 form, as found in {@code verify_keys.*.key}. */
    public static VerifyKey fromBase64(KeyId keyId, String key) {
        return new VerifyKey(keyId, UnpaddedBase64.decode(key));
    }

    /** The key's ID, e.g. {@code ed25519:1}. */
    public KeyId keyId() {
        return keyId;
    }

    /** A copy of the 32 raw key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    /** The key as unpadded base64. */
    public String toBase64() {
        return UnpaddedBase64.encode(key);
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} under this key. */
    public boolean verify(byte[] message, byte[] signature) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && parameters.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifyKey that && keyId.equals(that.keyId) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return keyId + "=" + toBase64();
    }
}
