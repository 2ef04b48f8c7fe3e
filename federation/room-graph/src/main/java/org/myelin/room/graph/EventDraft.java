package org.myelin.room.graph;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import tools.jackson.databind.node.ObjectNode;

/**
 * An event a local user asks to send, before the room graph fills in prev/auth events, depth and signatures.
 *
 * @param stateKey  null for message events
 * @param txnId     the client transaction id, or null
 * @param deviceId  the sending device, or null
 * @param txnPath   what the transaction id is scoped to besides user and device (e.g. the request path), or null
 */
record EventDraft(RoomId roomId, UserId sender, String type, String stateKey, ObjectNode content, String txnId,
        String deviceId, String txnPath) {

    EventDraft {
        content = content.deepCopy();
    }

    static EventDraft state(RoomId roomId, UserId sender, String type, String stateKey, ObjectNode content) {
        return new EventDraft(roomId, sender, type, stateKey, content, null, null, null);
    }

    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }

    boolean isState() {
        return stateKey != null;
    }
}
