package org.myelin.room.graph;

import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The content of a stored event, for reading state values outside the auth rules. */
final class EventContent {

    private EventContent() {
    }

    /**
     * The {@code content} object of a stored event's JSON (an empty object if it has none). Parsed leniently
     * whatever the room version: stored events were validated when they were written.
     */
    static ObjectNode of(String eventJson) {
        return EventBuilder.parse(eventJson, RoomVersions.V1).get("content") instanceof ObjectNode content
                ? content : JsonNodeFactory.instance.objectNode();
    }
}
