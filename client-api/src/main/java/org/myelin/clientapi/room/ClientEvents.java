package org.myelin.clientapi.room;

import java.time.Clock;
import java.util.List;

import org.myelin.clientapi.auth.Requester;
import org.myelin.room.api.RoomEvent;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns stored federation events into the spec's ClientEvent: event_id, room_id, sender, type, state_key,
 * content, origin_server_ts and unsigned (with age, and transaction_id for the device that sent it). Hashes,
 * signatures, auth_events, prev_events and depth never reach clients.
 */
@Component
public class ClientEvents {

    private static final List<String> COPIED = List.of("sender", "type", "state_key", "content", "origin_server_ts",
            "redacts");

    private final ObjectMapper mapper;
    private final Clock clock;

    public ClientEvents(ObjectMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
    }

    /** The event as {@code requester} sees it. */
    public ObjectNode format(RoomEvent event, Requester requester) {
        JsonNode pdu = mapper.readTree(event.json());
        ObjectNode out = mapper.createObjectNode();
        out.put("event_id", event.eventId().value());
        out.put("room_id", event.roomId().value());
        for (String field : COPIED) {
            if (pdu.has(field)) {
                out.set(field, pdu.get(field));
            }
        }
        if (!out.has("content")) {
            out.putObject("content");
        }
        ObjectNode unsigned = pdu.path("unsigned").isObject() ? (ObjectNode) pdu.get("unsigned").deepCopy()
                : mapper.createObjectNode();
        unsigned.put("age", Math.max(0, clock.millis() - pdu.path("origin_server_ts").asLong(0)));
        if (event.txnId() != null && event.senderDeviceId() != null
                && event.senderDeviceId().equals(requester.deviceId())
                && requester.userId().equals(pdu.path("sender").asString(""))) {
            unsigned.put("transaction_id", event.txnId());
        }
        out.set("unsigned", unsigned);
        return out;
    }

    /** Each event as {@code requester} sees it. */
    public List<ObjectNode> format(List<RoomEvent> events, Requester requester) {
        return events.stream().map(e -> format(e, requester)).toList();
    }

    /** The content of the event, alone (GET /state/{type}/{stateKey} without format=event). */
    public JsonNode content(RoomEvent event) {
        JsonNode content = mapper.readTree(event.json()).path("content");
        return content.isObject() ? content : mapper.createObjectNode();
    }
}
