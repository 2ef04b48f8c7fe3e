package org.myelin.federation.server.e2ee;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

import tools.jackson.databind.JsonNode;

/** Checks of the fields other servers send about their users' keys; anything that fails is dropped. */
final class EduFields {

    private EduFields() {
    }

    /** The user ID in {@code field}, when it is a user of {@code origin}; otherwise null. */
    static String userOf(ServerName origin, JsonNode content, String field) {
        String raw = content.path(field).stringValue(null);
        if (raw == null) {
            return null;
        }
        try {
            UserId user = UserId.parse(raw);
            return user.server().equals(origin) ? user.toString() : null;
        } catch (MatrixException e) {
            return null;
        }
    }

    /** Whether {@code keys} are device keys naming this user and device. */
    static boolean deviceKeysOf(JsonNode keys, String userId, String deviceId) {
        return keys.isObject() && userId.equals(keys.path("user_id").stringValue(null))
                && deviceId.equals(keys.path("device_id").stringValue(null)) && keys.path("keys").isObject();
    }

    /** The key as JSON when it is a cross-signing key of {@code userId}; otherwise null. */
    static String crossSigningKeyOf(JsonNode key, String userId) {
        return key.isObject() && userId.equals(key.path("user_id").stringValue(null)) && key.path("keys").isObject()
                && key.path("usage").isArray() ? key.toString() : null;
    }
}
