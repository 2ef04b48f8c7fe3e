package org.myelin.federation.protocol.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signs and verifies JSON objects (appendices "Signing JSON"): the signed bytes are the canonical JSON of the
 * object without {@code signatures} and {@code unsigned}; the signature goes under
 * {@code signatures[entity][keyId]} and both removed members are put back.
 */
public final class JsonSigner {

    private JsonSigner() {
    }

    /** A copy of {@code json} with this key's signature added under {@code entity}, in strict canonical JSON. */
    public static ObjectNode sign(ObjectNode json, ServerName entity, SigningKey key) {
        return sign(json, entity, key, Mode.STRICT);
    }

    /**
     * A copy of {@code json} with this key's signature added under {@code entity}. Existing signatures and
     * {@code unsigned} are kept.
     */
    public static ObjectNode sign(ObjectNode json, ServerName entity, SigningKey key, Mode mode) {
        ObjectNode signed = json.deepCopy();
        String signature = UnpaddedBase64.encode(key.sign(signedBytes(json, mode)));
        JsonNode existing = signed.get("signatures");
        ObjectNode signatures = existing != null && existing.isObject()
                ? (ObjectNode) existing : signed.putObject("signatures");
        JsonNode forEntity = signatures.get(entity.value());
        ObjectNode entry = forEntity != null && forEntity.isObject()
                ? (ObjectNode) forEntity : signatures.putObject(entity.value());
        entry.put(key.keyId().toString(), signature);
        return signed;
    }

    /** Checks {@code entity}'s signatures on {@code json}, encoding it as strict canonical JSON. */
    public static SignatureCheck verify(JsonNode json, ServerName entity, PublicKeys keys) {
        return verify(json, entity, keys, Mode.STRICT);
    }

    /**
     * Checks {@code entity}'s signatures on {@code json}. Signatures with algorithms we do not understand and
     * signatures whose key is unknown are skipped; every remaining one must verify.
     */
    public static SignatureCheck verify(JsonNode json, ServerName entity, PublicKeys keys, Mode mode) {
        // 1. The signatures member must have an entry for the entity.
        JsonNode entry = json.path("signatures").path(entity.value());
        if (!entry.isObject()) {
            return SignatureCheck.NOT_SIGNED;
        }
        // 2. Keep only key IDs whose algorithm we understand.
        List<Map.Entry<KeyId, JsonNode>> supported = new ArrayList<>();
        for (Map.Entry<String, JsonNode> signature : entry.properties()) {
            parseKeyId(signature.getKey()).filter(KeyId::isEd25519)
                    .ifPresent(id -> supported.add(Map.entry(id, signature.getValue())));
        }
        if (supported.isEmpty()) {
            return SignatureCheck.NOT_SIGNED;
        }
        byte[] message;
        try {
            // 5–6. Remove signatures and unsigned, then encode canonically.
            message = signedBytes(json, mode);
        } catch (MatrixException e) {
            return SignatureCheck.INVALID;
        }
        boolean anyKnown = false;
        for (Map.Entry<KeyId, JsonNode> signature : supported) {
            // 3. Look up the verification key; unknown keys are skipped.
            Optional<VerifyKey> key = keys.find(entity, signature.getKey());
            if (key.isEmpty()) {
                continue;
            }
            anyKnown = true;
            // 4. Decode the signature, then 7. check it.
            Optional<byte[]> bytes = signature.getValue().isString()
                    ? UnpaddedBase64.tryDecode(signature.getValue().stringValue()) : Optional.empty();
            if (bytes.isEmpty() || !key.get().verify(message, bytes.get())) {
                return SignatureCheck.INVALID;
            }
        }
        return anyKnown ? SignatureCheck.VALID : SignatureCheck.UNKNOWN_KEY;
    }

    /** The bytes a signature covers: canonical JSON of the object without {@code signatures} and {@code unsigned}. */
    private static byte[] signedBytes(JsonNode json, Mode mode) {
        if (!json.isObject()) {
            throw MatrixException.badJson("Only JSON objects can be signed");
        }
        ObjectNode stripped = ((ObjectNode) json).deepCopy();
        stripped.remove(List.of("signatures", "unsigned"));
        return CanonicalJson.encode(stripped, mode);
    }

    private static Optional<KeyId> parseKeyId(String keyId) {
        try {
            return Optional.of(KeyId.parse(keyId));
        } catch (MatrixException e) {
            return Optional.empty();
        }
    }
}
