package org.myelin.federation.protocol.crypto;

import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The reference hash of an event (server-server API "Calculating the reference hash for an event"), which is
 * the event ID in room v3+ and, in room v12, the room ID of a create event.
 *
 * <p>Step 1 of the spec, redaction, depends on the room version and is the caller's job (see
 * {@code event.EventIds}); this class performs steps 2–4 on the already-redacted event.
 */
public final class ReferenceHash {

    private ReferenceHash() {
    }

    /** sha256 of the canonical JSON of {@code redactedEvent} without {@code signatures} and {@code unsigned}. */
    public static byte[] compute(JsonNode redactedEvent, Mode mode) {
        if (!redactedEvent.isObject()) {
            throw MatrixException.badJson("An event must be a JSON object");
        }
        // 2. Remove signatures and unsigned.
        ObjectNode stripped = ((ObjectNode) redactedEvent).deepCopy();
        stripped.remove(List.of("signatures", "unsigned"));
        // 3–4. Canonical JSON, then sha256.
        return Sha256.digest(CanonicalJson.encode(stripped, mode));
    }
}
