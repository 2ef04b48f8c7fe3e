package org.myelin.federation.protocol.event;

import java.security.SecureRandom;

import org.myelin.federation.protocol.crypto.ReferenceHash;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;

/**
 * Event IDs per room version (rooms "Event IDs"): carried in the PDU in v1–2, the reference hash in standard
 * unpadded base64 in v3, and in URL-safe unpadded base64 from v4. In room v12 the create event's ID, with
 * {@code !} for {@code $}, is also the room ID.
 */
public final class EventIds {

    private static final char[] OPAQUE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int OPAQUE_LENGTH = 18;

    private EventIds() {
    }

    /** The event's ID; throws {@code M_BAD_JSON} when a v1–2 event lacks a valid {@code event_id}. */
    public static EventId compute(JsonNode event, RoomVersion version) {
        return switch (version.eventIdFormat()) {
            case SERVER_GENERATED -> {
                JsonNode id = event.path("event_id");
                if (!id.isString()) {
                    throw MatrixException.badJson("Events in room version " + version.id() + " carry an event_id");
                }
                yield EventId.parse(id.stringValue());
            }
            case REFERENCE_HASH_STANDARD_BASE64 -> new EventId("$" + UnpaddedBase64.encode(referenceHash(event, version)));
            case REFERENCE_HASH_URL_SAFE_BASE64 -> new EventId("$" + UnpaddedBase64.encodeUrlSafe(referenceHash(event, version)));
        };
    }

    /**
     * The room ID a room v12+ create event defines: {@code !} + the URL-safe reference hash.
     * Throws {@code M_BAD_JSON} for room versions whose room IDs are not derived from the create event.
     */
    public static RoomId roomIdOfCreateEvent(JsonNode createEvent, RoomVersion version) {
        if (!version.roomIdFromCreateEvent()) {
            throw MatrixException.badJson("Room version " + version.id() + " does not derive room IDs from events");
        }
        return RoomId.fromCreateEventId(compute(createEvent, version));
    }

    /** A fresh {@code $opaque:origin} ID, for events Myelin creates in room v1–2. */
    public static EventId generateServerGenerated(ServerName origin, SecureRandom random) {
        StringBuilder opaque = new StringBuilder("$");
        for (int i = 0; i < OPAQUE_LENGTH; i++) {
            opaque.append(OPAQUE_CHARS[random.nextInt(OPAQUE_CHARS.length)]);
        }
        return new EventId(opaque.append(':').append(origin.value()).toString());
    }

    /** Reference hash step 1: redaction under the room's rules; steps 2–4 are {@link ReferenceHash}. */
    private static byte[] referenceHash(JsonNode event, RoomVersion version) {
        return ReferenceHash.compute(Redactor.redact(event, version), Mode.of(version));
    }
}
