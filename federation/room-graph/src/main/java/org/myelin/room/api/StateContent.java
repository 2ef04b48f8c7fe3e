package org.myelin.room.api;

import tools.jackson.databind.node.ObjectNode;

/**
 * A state event to send: type, state key and content.
 *
 * @param stateKey the state key; the empty string for most room-wide state
 */
public record StateContent(String type, String stateKey, ObjectNode content) {

    public StateContent {
        content = content.deepCopy();
    }

    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }
}
