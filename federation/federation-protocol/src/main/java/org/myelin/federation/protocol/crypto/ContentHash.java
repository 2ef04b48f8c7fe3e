package org.myelin.federation.protocol.crypto;

import java.security.MessageDigest;
import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The content hash of an event (server-server API "Calculating the content hash for an event"): sha256 of the
 * canonical JSON of the whole, unredacted event without {@code unsigned}, {@code signatures} and {@code hashes}.
 * It is stored as unpadded base64 under {@code hashes.sha256}.
 */
public final class ContentHash {

    private ContentHash() {
    }

    /** The 32-byte sha256 content hash. */
    public static byte[] compute(JsonNode event, Mode mode) {
        if (!event.isObject()) {
            throw MatrixException.badJson("An event must be a JSON object");
        }
        ObjectNode stripped = ((ObjectNode) event).deepCopy();
        stripped.remove(List.of("unsigned", "signatures", "hashes"));
        return Sha256.digest(CanonicalJson.encode(stripped, mode));
    }

    /** The content hash as unpadded base64, the form stored in {@code hashes.sha256}. */
    public static String computeBase64(JsonNode event, Mode mode) {
        return UnpaddedBase64.encode(compute(event, mode));
    }

    /**
     * True when the event's {@code hashes.sha256} matches its content. False when it is missing, malformed or
     * different, which the spec reads as "we were given a redacted copy".
     */
    public static boolean matches(JsonNode event, Mode mode) {
        JsonNode claimed = event.path("hashes").path("sha256");
        if (!claimed.isString()) {
            return false;
        }
        byte[] actual;
        try {
            actual = compute(event, mode);
        } catch (MatrixException e) {
            return false;
        }
        return UnpaddedBase64.tryDecode(claimed.stringValue())
                .map(expected -> MessageDigest.isEqual(expected, actual))
                .orElse(false);
    }
}
