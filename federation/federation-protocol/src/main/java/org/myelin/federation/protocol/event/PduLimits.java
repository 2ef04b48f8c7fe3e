package org.myelin.federation.protocol.event;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The size limits every PDU must keep (server-server API "PDUs", "Size limits"): at most 65,536 bytes as canonical
 * JSON, signatures included, and at most 255 bytes in each of {@code event_id}, {@code room_id}, {@code sender},
 * {@code type} and {@code state_key}.
 */
public final class PduLimits {

    public static final int MAX_BYTES = 65_536;
    public static final int MAX_FIELD_BYTES = 255;
    private static final List<String> LIMITED_FIELDS = List.of("event_id", "room_id", "sender", "type", "state_key");

    private PduLimits() {
    }

    /** Why {@code event}, whose canonical form is {@code canonicalLength} bytes, breaks a limit; empty when it keeps them. */
    public static Optional<String> violation(JsonNode event, int canonicalLength) {
        if (canonicalLength > MAX_BYTES) {
            return Optional.of("the event is " + canonicalLength + " bytes, over the limit of " + MAX_BYTES);
        }
        for (String field : LIMITED_FIELDS) {
            JsonNode value = event.get(field);
            if (value != null && value.isString()
                    && value.stringValue().getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_BYTES) {
                return Optional.of(field + " is over " + MAX_FIELD_BYTES + " bytes");
            }
        }
        return Optional.empty();
    }
}
