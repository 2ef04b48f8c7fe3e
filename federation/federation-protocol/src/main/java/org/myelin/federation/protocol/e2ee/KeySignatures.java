package org.myelin.federation.protocol.e2ee;

import java.util.List;
import java.util.Optional;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one user's Ed25519 signature on a signed JSON object: device keys signed with the device's own key,
 * cross-signing keys signed by the master key, devices signed by the self-signing key, and so on.
 */
public final class KeySignatures {

    private KeySignatures() {
    }

    /**
     * Checks {@code signatures[userId][keyId]} of {@code signed} against the Ed25519 public key
     * {@code publicKeyBase64} (unpadded base64, as in a {@code keys} map).
     *
     * @return {@link SignatureCheck#NOT_SIGNED} without such a signature, {@link SignatureCheck#INVALID} when it
     *         does not verify (or the key is no Ed25519 key), {@link SignatureCheck#VALID} otherwise
     */
    public static SignatureCheck verify(JsonNode signed, String userId, String keyId, String publicKeyBase64) {
        JsonNode signature = signed.path("signatures").path(userId).path(keyId);
        if (!signature.isString()) {
            return SignatureCheck.NOT_SIGNED;
        }
        Optional<Ed25519PublicKeyParameters> key = publicKey(publicKeyBase64);
        Optional<byte[]> bytes = UnpaddedBase64.tryDecode(signature.stringValue());
        if (key.isEmpty() || bytes.isEmpty() || bytes.get().length != Ed25519.SIGNATURE_SIZE) {
            return SignatureCheck.INVALID;
        }
        byte[] message;
        try {
            message = signedBytes(signed);
        } catch (MatrixException e) {
            return SignatureCheck.INVALID;
        }
        return key.get().verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, bytes.get(), 0)
                ? SignatureCheck.VALID : SignatureCheck.INVALID;
    }

    /** Whether {@code text} is an Ed25519 public key in unpadded base64. */
    public static boolean isPublicKey(String text) {
        return publicKey(text).isPresent();
    }

    /** The bytes a signature covers: the canonical JSON of the object without {@code signatures}, {@code unsigned}. */
    public static byte[] signedBytes(JsonNode json) {
        if (!json.isObject()) {
            throw MatrixException.badJson("Only JSON objects can be signed");
        }
        ObjectNode stripped = ((ObjectNode) json).deepCopy();
        stripped.remove(List.of("signatures", "unsigned"));
        return CanonicalJson.encode(stripped, Mode.STRICT);
    }

    private static Optional<Ed25519PublicKeyParameters> publicKey(String base64) {
        if (base64 == null) {
            return Optional.empty();
        }
        return UnpaddedBase64.tryDecode(base64).filter(b -> b.length == Ed25519.PUBLIC_KEY_SIZE).flatMap(b -> {
            try {
                return Optional.of(new Ed25519PublicKeyParameters(b, 0));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
