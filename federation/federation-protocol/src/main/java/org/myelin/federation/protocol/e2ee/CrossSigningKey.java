package org.myelin.federation.protocol.e2ee;

import java.util.Map;

import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cross-signing key ({@code CrossSigningKey}: {@code user_id}, {@code usage}, {@code keys} with exactly one
 * {@code ed25519:<public key>} entry, {@code signatures}), checked for its owner and usage.
 *
 * @param json      the object as uploaded
 * @param publicKey the Ed25519 public key (unpadded base64); its key ID is {@code ed25519:<publicKey>}
 */
public record CrossSigningKey(ObjectNode json, String publicKey) {

    /** The three kinds of cross-signing key, by their {@code usage} value. */
    public enum Usage {
        MASTER("master"), SELF_SIGNING("self_signing"), USER_SIGNING("user_signing");

        private final String value;

        Usage(String value) {
            this.value = value;
        }

        /** The {@code usage} string, also the key's type in storage. */
        public String value() {
            return value;
        }
    }

    /**
     * Reads {@code value} as {@code userId}'s key for {@code usage}. A wrong JSON type is {@code M_BAD_JSON}; another
     * owner, a missing usage or not exactly one Ed25519 key is {@code M_INVALID_PARAM}.
     */
    public static CrossSigningKey parse(JsonNode value, String userId, Usage usage) {
        String what = usage.value() + " key";
        if (!value.isObject()) {
            throw MatrixException.badJson("The " + what + " must be an object");
        }
        ObjectNode json = (ObjectNode) value;
        if (!userId.equals(DeviceKeys.requiredString(json, "user_id"))) {
            throw MatrixException.invalidParam("The " + what + " must belong to the uploader");
        }
        JsonNode usages = json.get("usage");
        if (usages == null || !usages.isArray()) {
            throw MatrixException.badJson("usage of the " + what + " must be an array of strings");
        }
        boolean found = false;
        for (JsonNode u : usages) {
            if (!u.isString()) {
                throw MatrixException.badJson("usage of the " + what + " must be an array of strings");
            }
            found |= u.stringValue().equals(usage.value());
        }
        if (!found) {
            throw MatrixException.invalidParam("The " + what + " must have usage " + usage.value());
        }
        Map<String, String> keys = DeviceKeys.stringMap(json.get("keys"), "keys of the " + what);
        if (keys.size() != 1) {
            throw MatrixException.invalidParam("The " + what + " must hold exactly one key");
        }
        Map.Entry<String, String> key = keys.entrySet().iterator().next();
        if (!key.getKey().equals("ed25519:" + key.getValue()) || !KeySignatures.isPublicKey(key.getValue())) {
            throw MatrixException.invalidParam("The " + what + " must be an Ed25519 key under ed25519:<public key>");
        }
        JsonNode signatures = json.get("signatures");
        if (signatures != null && !signatures.isObject()) {
            throw MatrixException.badJson("signatures of the " + what + " must be an object");
        }
        return new CrossSigningKey(json, key.getValue());
    }

    /** The key's ID, {@code ed25519:<public key>}. */
    public String keyId() {
        return "ed25519:" + publicKey;
    }

    /** Whether {@code signer}'s key signed this key with a valid signature. */
    public boolean isSignedBy(String userId, CrossSigningKey signer) {
        return KeySignatures.verify(json, userId, signer.keyId(), signer.publicKey()) == SignatureCheck.VALID;
    }
}
