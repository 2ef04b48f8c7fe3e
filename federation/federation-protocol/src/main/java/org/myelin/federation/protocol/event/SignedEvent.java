package org.myelin.federation.protocol.event;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.node.ObjectNode;

/**
 * An event with its content hash and signatures filled in, and its event ID.
 *
 * @param event   the full signed event; the accessor returns a copy
 * @param eventId the event ID under the room version it was signed for
 */
public record SignedEvent(ObjectNode event, EventId eventId) {

    /** Keeps a private copy of the event. */
    public SignedEvent {
        event = event.deepCopy();
    }

    @Override
    public ObjectNode event() {
        return event.deepCopy();
    }

    /** The event as a PDU; throws {@code M_BAD_JSON} when it lacks a field every PDU has. */
    public Pdu toPdu(RoomVersion version) {
        return Pdu.of(event, version);
    }
}
