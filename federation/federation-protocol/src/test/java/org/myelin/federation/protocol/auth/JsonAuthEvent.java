package org.myelin.federation.protocol.auth;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@link AuthEvent} over the JSON of a test case event. Fields a case leaves out get defaults so cases stay short:
 * {@code prev_events} ["$prev"], {@code content} {}, and {@code room_id} "!room:example.org" — or, in room versions
 * whose room ID comes from the create event, "!create" (from {@link #CREATE_EVENT_ID}) and none on create events.
 */
final class JsonAuthEvent implements AuthEvent {

    static final String CREATE_EVENT_ID = "$create";
    static final String LEGACY_ROOM_ID = "!room:example.org";

    private final JsonNode json;
    private final String roomId;
    private final boolean rejected;

    JsonAuthEvent(JsonNode json, RoomVersion version, boolean rejected) {
        this.json = json;
        this.rejected = rejected;
        if (json.has("room_id")) {
            this.roomId = json.get("room_id").stringValue(null);
        } else if (!version.roomIdFromCreateEvent()) {
            this.roomId = LEGACY_ROOM_ID;
        } else {
            this.roomId = RoomCreate.TYPE.equals(type()) ? null : "!" + CREATE_EVENT_ID.substring(1);
        }
    }

    /** The {@code signatures} object, read by the fake server signature verifier. */
    JsonNode signatures() {
        return json.path("signatures");
    }

    @Override
    public String eventId() {
        return json.path("event_id").stringValue();
    }

    @Override
    public String roomId() {
        return roomId;
    }

    @Override
    public String type() {
        return json.path("type").stringValue();
    }

    @Override
    public String stateKey() {
        return json.path("state_key").stringValue(null);
    }

    @Override
    public String sender() {
        return json.path("sender").stringValue();
    }

    @Override
    public JsonNode content() {
        return json.has("content") ? json.get("content") : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public List<String> authEventIds() {
        return ids("auth_events", List.of());
    }

    @Override
    public List<String> prevEventIds() {
        return ids("prev_events", List.of("$prev"));
    }

    @Override
    public long depth() {
        return json.path("depth").asLong(0);
    }

    @Override
    public long originServerTs() {
        return json.path("origin_server_ts").asLong(0);
    }

    @Override
    public String redacts() {
        return json.path("redacts").stringValue(null);
    }

    @Override
    public boolean rejected() {
        return rejected;
    }

    private List<String> ids(String field, List<String> fallback) {
        if (!json.has(field)) {
            return fallback;
        }
        List<String> ids = new ArrayList<>();
        json.get(field).values().forEach(id -> ids.add(id.stringValue()));
        return ids;
    }
}
