package org.myelin.federation.server.membership;

import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.graph.LocalClientSyncApi;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state events that let a user invited to, or knocking on, a room recognise it ({@code invite_room_state},
 * {@code knock_room_state}): create, join rules, name, avatar, canonical alias and encryption. Sent as full PDUs
 * (v1.16: they must include the create event and follow the room version's format); received ones are kept as
 * the stripped events clients see.
 */
final class RoomPreview {

    private final RoomStore store;

    RoomPreview(RoomStore store) {
        this.store = store;
    }

    /** The room's current preview events, as PDUs of its version. */
    Mono<ArrayNode> pdus(String roomId, RoomVersion version) {
        CanonicalJson.Mode mode = CanonicalJson.Mode.of(version);
        return store.currentState().events(roomId, LocalClientSyncApi.STRIPPED).map(rows -> {
            ArrayNode pdus = JsonNodeFactory.instance.arrayNode();
            for (EventRow row : rows) {
                pdus.add(CanonicalJson.parse(row.json(), mode));
            }
            return pdus;
        });
    }

    /**
     * Another server's preview as stripped state events (type, state_key, sender, content); entries that are not
     * state events are left out.
     */
    static ArrayNode stripped(JsonNode received) {
        ArrayNode stripped = JsonNodeFactory.instance.arrayNode();
        if (!received.isArray()) {
            return stripped;
        }
        for (JsonNode event : received) {
            if (event.path("type").isString() && event.path("state_key").isString()
                    && event.path("sender").isString() && event.path("content").isObject()) {
                ObjectNode entry = stripped.addObject();
                entry.set("type", event.get("type"));
                entry.set("state_key", event.get("state_key"));
                entry.set("sender", event.get("sender"));
                entry.set("content", event.get("content"));
            }
        }
        return stripped;
    }
}
