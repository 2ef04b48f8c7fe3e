package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

/**
 * A persisted event as the client side needs it: the signed canonical JSON plus where it sits in the room.
 *
 * @param json             the event exactly as signed (federation format; clients get a trimmed form)
 * @param position         its (topological, stream) position, for pagination tokens
 * @param txnId            the client transaction id it was sent with, or null
 * @param senderDeviceId   the device that sent it, or null for events not sent by a local device
 */
public record RoomEvent(EventId eventId, RoomId roomId, String json, TimelinePosition position, String txnId,
        String senderDeviceId) {
}
