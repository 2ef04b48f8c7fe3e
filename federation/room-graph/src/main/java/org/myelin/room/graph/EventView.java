package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The auth rules' view of a signed or stored event whose ID is already known. */
final class EventView implements AuthEvent {

    private final String eventId;
    private final JsonNode json;
    private final RoomVersion version;
    private final boolean rejected;

    EventView(String eventId, JsonNode json, RoomVersion version) {
        this(eventId, json, version, false);
    }

    /** @param rejected whether the stored event was rejected (state resolution must know) */
    EventView(String eventId, JsonNode json, RoomVersion version, boolean rejected) {
        this.eventId = eventId;
        this.json = json;
        this.version = version;
        this.rejected = rejected;
    }

    @Override
    public String eventId() {
        return eventId;
    }

    @Override
    public String roomId() {
        return json.path("room_id").stringValue(null);
    }

    @Override
    public String type() {
        return json.path("type").stringValue(null);
    }

    @Override
    public String stateKey() {
        return json.has("state_key") ? json.get("state_key").stringValue(null) : null;
    }

    @Override
    public String sender() {
        return json.path("sender").stringValue(null);
    }

    @Override
    public JsonNode content() {
        JsonNode content = json.get("content");
        return content != null && content.isObject() ? content : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public List<String> authEventIds() {
        return ids("auth_events");
    }

    @Override
    public List<String> prevEventIds() {
        return ids("prev_events");
    }

    @Override
    public long depth() {
        return json.path("depth").asLong(0);
    }

    @Override
    public long originServerTs() {
        return json.path("origin_server_ts").longValue();
    }

    @Override
    public String redacts() {
        JsonNode redacts = version.redactsInContent() ? content().path("redacts") : json.path("redacts");
        return redacts.isString() ? redacts.stringValue() : null;
    }

    /** Whether the event carries a signature of {@code server} (whether it verifies is checked on receipt). */
    boolean hasSignatureFrom(String server) {
        return json.path("signatures").path(server).isObject() && !json.path("signatures").path(server).isEmpty();
    }

    @Override
    public boolean rejected() {
        return rejected;
    }

    private List<String> ids(String field) {
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : json.path(field)) {
            JsonNode id = version.eventIdInPdu() ? entry.path(0) : entry;
            ids.add(id.stringValue(null));
        }
        return ids;
    }
}
