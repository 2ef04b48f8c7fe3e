package org.myelin.homeserver.e2ee;

import java.security.SecureRandom;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.e2ee.KeySignatures;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A client device's keys, as a real client would make and sign them (Ed25519 keys of the test). */
public final class TestDevice {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    public final String userId;
    public final String deviceId;
    public final SigningKey ed25519 = newKey();

    public TestDevice(String userId, String deviceId) {
        this.userId = userId;
        this.deviceId = deviceId;
    }

    public static SigningKey newKey() {
        return SigningKey.generate(KeyId.ed25519("test"), RANDOM);
    }

    public static String publicKey(SigningKey key) {
        return key.verifyKey().toBase64();
    }

    /** The device's identity keys, signed with its own Ed25519 key. */
    public ObjectNode deviceKeys() {
        ObjectNode keys = JSON.createObjectNode().put("user_id", userId).put("device_id", deviceId);
        keys.putArray("algorithms").add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2");
        keys.putObject("keys").put("curve25519:" + deviceId, publicKey(newKey()))
                .put("ed25519:" + deviceId, publicKey(ed25519));
        return sign(keys, ed25519, "ed25519:" + deviceId);
    }

    /** {@code count} signed one-time keys with IDs {@code <prefix>0 ...}. */
    public ObjectNode oneTimeKeys(String prefix, int count) {
        ObjectNode keys = JSON.createObjectNode();
        for (int i = 0; i < count; i++) {
            keys.set("signed_curve25519:" + prefix + i, signedKey(publicKey(newKey()), false));
        }
        return keys;
    }

    /** A signed curve25519 key object ({@code fallback: true} for a fallback key). */
    public ObjectNode signedKey(String key, boolean fallback) {
        ObjectNode json = JSON.createObjectNode().put("key", key);
        if (fallback) {
            json.put("fallback", true);
        }
        return sign(json, ed25519, "ed25519:" + deviceId);
    }

    /** A cross-signing key of {@code usage} for {@code key}, unsigned. */
    public ObjectNode crossSigningKey(SigningKey key, String usage) {
        ObjectNode json = JSON.createObjectNode().put("user_id", userId);
        json.putArray("usage").add(usage);
        json.putObject("keys").put("ed25519:" + publicKey(key), publicKey(key));
        return json;
    }

    /** Adds {@code userId}'s signature by {@code key} under {@code keyId} to {@code json}. */
    public ObjectNode sign(ObjectNode json, SigningKey key, String keyId) {
        String signature = UnpaddedBase64.encode(key.sign(KeySignatures.signedBytes(json)));
        json.withObjectProperty("signatures").withObjectProperty(userId).put(keyId, signature);
        return json;
    }
}
