package org.myelin.clientapi.sync.legacy;

import java.util.List;

import org.myelin.clientapi.sync.SyncToken;

import tools.jackson.databind.node.ObjectNode;

/**
 * What one /events call returns.
 *
 * @param events the events, each with its {@code room_id} when it belongs to a room
 * @param end    the token to continue from
 */
record EventChunk(List<ObjectNode> events, SyncToken end) {

    EventChunk {
        events = List.copyOf(events);
    }
}
