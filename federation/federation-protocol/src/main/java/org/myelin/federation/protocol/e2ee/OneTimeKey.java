package org.myelin.federation.protocol.e2ee;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A one-time or fallback key as uploaded under {@code <algorithm>:<key_id>}: a string (an unsigned key) or a
 * {@code KeyObject} ({@code key}, {@code signatures}, for fallback keys {@code fallback: true}).
 *
 * @param algorithm the part before the first {@code :}
 * @param keyId     the part after it
 * @param value     the key as uploaded
 */
public record OneTimeKey(String algorithm, String keyId, JsonNode value) {

    private static final int MAX_ID_CHARS = 255;

    /**
     * Reads an upload's {@code one_time_keys} or {@code fallback_keys} object ({@code field} names it in errors).
     * A wrong JSON type is {@code M_BAD_JSON}; a name that is not {@code <algorithm>:<key_id>} is
     * {@code M_INVALID_PARAM}; with {@code onePerAlgorithm} (fallback keys) so is a second key of one algorithm.
     */
    public static List<OneTimeKey> parseAll(JsonNode keys, String field, boolean onePerAlgorithm) {
        if (!keys.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        List<OneTimeKey> out = new ArrayList<>();
        Set<String> algorithms = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : keys.properties()) {
            String name = e.getKey();
            int colon = name.indexOf(':');
            if (colon <= 0 || colon == name.length() - 1 || name.length() > MAX_ID_CHARS) {
                throw MatrixException.invalidParam(field + " must be named <algorithm>:<key_id>");
            }
            JsonNode value = e.getValue();
            if (!value.isString() && !(value.isObject() && value.path("key").isString())) {
                throw MatrixException.badJson(field + " must map key IDs to a key string or an object with key");
            }
            if (value.isObject() && value.has("signatures") && !value.get("signatures").isObject()) {
                throw MatrixException.badJson("signatures of " + field + " must be an object");
            }
            String algorithm = name.substring(0, colon);
            if (onePerAlgorithm && !algorithms.add(algorithm)) {
                throw MatrixException.invalidParam(field + " may hold only one key per algorithm");
            }
            out.add(new OneTimeKey(algorithm, name.substring(colon + 1), value));
        }
        return out;
    }

    /** The key as stored: its canonical JSON. */
    public String json() {
        return CanonicalJson.encodeToString(value, Mode.STRICT);
    }

    /**
     * Whether {@code storedJson} is the same key, signatures aside: a client that re-uploads a key it kept without
     * its signature is retrying, not replacing.
     */
    public boolean sameKeyAs(String storedJson) {
        return withoutSignatures(value).equals(withoutSignatures(CanonicalJson.parse(storedJson, Mode.STRICT)));
    }

    private static JsonNode withoutSignatures(JsonNode key) {
        if (!key.isObject()) {
            return key;
        }
        ObjectNode copy = ((ObjectNode) key).deepCopy();
        copy.remove("signatures");
        return copy;
    }
}
