package org.myelin.room.graph;

import java.util.List;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

/**
 * A signed and authorised event, ready to persist.
 *
 * @param canonicalJson the signed event as canonical JSON, exactly what is stored
 * @param prevEventIds  the forward extremities it follows
 * @param authEventIds  the state events that authorise it
 */
record BuiltEvent(EventId eventId, RoomId roomId, EventDraft draft, String canonicalJson, long depth,
        long originServerTs, List<String> prevEventIds, List<String> authEventIds) {
}
