package org.myelin.room.graph;

import java.util.List;

import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

import tools.jackson.databind.node.ObjectNode;

/**
 * A signed event, ready to persist: authorised when local, about to be checked when another server built it.
 *
 * @param canonicalJson the signed event as canonical JSON, exactly what is stored
 * @param prevEventIds  the forward extremities it follows
 * @param authEventIds  the state events that authorise it
 */
record BuiltEvent(EventId eventId, RoomId roomId, EventDraft draft, String canonicalJson, long depth,
        long originServerTs, List<String> prevEventIds, List<String> authEventIds) {

    /** An event another server built, as it will be stored. */
    static BuiltEvent of(Pdu pdu) {
        return new BuiltEvent(pdu.eventId(), pdu.roomId(), draftOf(pdu), pdu.canonicalJson(), pdu.depth(),
                pdu.originServerTs(), pdu.prevEvents().stream().map(EventId::value).toList(),
                pdu.authEvents().stream().map(EventId::value).toList());
    }

    /** The draft view of a remote event; before v11 a redaction's target moves into the content, as in drafts. */
    static EventDraft draftOf(Pdu pdu) {
        ObjectNode content = pdu.content().deepCopy();
        if (Redactions.TYPE.equals(pdu.type()) && pdu.json().path("redacts").isString()) {
            content.set("redacts", pdu.json().get("redacts"));
        }
        return new EventDraft(pdu.roomId(), pdu.sender(), pdu.type(), pdu.stateKey().orElse(null), content, null,
                null, null);
    }
}
