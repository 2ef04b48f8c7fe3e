package org.myelin.federation.protocol.e2ee;

import java.util.Map;
import java.util.TreeMap;

import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A device's identity keys as uploaded ({@code DeviceKeys}: {@code user_id}, {@code device_id}, {@code algorithms},
 * {@code keys}, {@code signatures}), checked: the IDs are the uploader's, the {@code ed25519:<device_id>} key is an
 * Ed25519 public key and the object carries a valid signature by it.
 *
 * @param json the object as uploaded
 * @param keys the {@code keys} map, sorted by key ID
 */
public record DeviceKeys(ObjectNode json, Map<String, String> keys) {

    public DeviceKeys {
        keys = Map.copyOf(keys);
    }

    /**
     * Reads {@code value} as the device keys of {@code userId}'s device {@code deviceId}. A wrong JSON type is
     * {@code M_BAD_JSON}; other IDs than the uploader's or a key that is not Ed25519 is {@code M_INVALID_PARAM};
     * a missing or wrong self-signature is 400 {@code M_INVALID_SIGNATURE}.
     */
    public static DeviceKeys parse(JsonNode value, String userId, String deviceId) {
        if (!value.isObject()) {
            throw MatrixException.badJson("device_keys must be an object");
        }
        ObjectNode json = (ObjectNode) value;
        if (!userId.equals(requiredString(json, "user_id"))) {
            throw MatrixException.invalidParam("device_keys.user_id must be the uploader's user ID");
        }
        if (!deviceId.equals(requiredString(json, "device_id"))) {
            throw MatrixException.invalidParam("device_keys.device_id must be the uploading device's ID");
        }
        JsonNode algorithms = json.get("algorithms");
        if (algorithms == null || !algorithms.isArray()) {
            throw MatrixException.badJson("device_keys.algorithms must be an array of strings");
        }
        algorithms.forEach(a -> {
            if (!a.isString()) {
                throw MatrixException.badJson("device_keys.algorithms must be an array of strings");
            }
        });
        Map<String, String> keys = stringMap(json.get("keys"), "device_keys.keys");
        JsonNode signatures = json.get("signatures");
        if (signatures == null || !signatures.isObject()) {
            throw MatrixException.badJson("device_keys.signatures must be an object");
        }
        String signingKeyId = "ed25519:" + deviceId;
        String signingKey = keys.get(signingKeyId);
        if (signingKey == null || !KeySignatures.isPublicKey(signingKey)) {
            throw MatrixException.invalidParam("device_keys.keys must hold the device's Ed25519 key " + signingKeyId);
        }
        if (KeySignatures.verify(json, userId, signingKeyId, signingKey) != SignatureCheck.VALID) {
            throw invalidSignature("device_keys must be signed with the device's own Ed25519 key");
        }
        return new DeviceKeys(json, keys);
    }

    /** The device's Ed25519 public key (unpadded base64), which signs its other keys. */
    public String ed25519Key() {
        return keys.get("ed25519:" + json.get("device_id").stringValue());
    }

    /** A 400 {@code M_INVALID_SIGNATURE}: a client uploaded a badly signed object. */
    public static MatrixException invalidSignature(String message) {
        return new MatrixException(ErrCode.M_INVALID_SIGNATURE, 400, message);
    }

    static String requiredString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        if (!value.isString()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return value.stringValue();
    }

    static Map<String, String> stringMap(JsonNode value, String what) {
        if (value == null || !value.isObject()) {
            throw MatrixException.badJson(what + " must be an object of strings");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            if (!e.getValue().isString()) {
                throw MatrixException.badJson(what + " must be an object of strings");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }
}
