package org.myelin.federation.protocol.state;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.StateTuple;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@link AuthEvent} over a simplified PDU in JSON, as in the ruma state-res fixtures: no hashes or signatures,
 * fake event IDs, an optional {@code rejected} flag; unknown keys such as {@code test-comments} are ignored.
 */
final class JsonEvent implements AuthEvent {

    private final JsonNode json;

    JsonEvent(JsonNode json) {
        this.json = json;
    }

    /** The (type, state_key) of this state event. */
    StateTuple tuple() {
        return StateTuple.of(this);
    }

    @Override
    public String eventId() {
        return json.path("event_id").stringValue();
    }

    @Override
    public String roomId() {
        return json.path("room_id").stringValue(null);
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
        return json.path("origin_server_ts").asLong(0);
    }

    @Override
    public String redacts() {
        return json.path("redacts").stringValue(null);
    }

    @Override
    public boolean rejected() {
        return json.path("rejected").asBoolean(false);
    }

    @Override
    public String toString() {
        return eventId();
    }

    private List<String> ids(String field) {
        List<String> ids = new ArrayList<>();
        json.path(field).values().forEach(id -> ids.add(id.stringValue()));
        return ids;
    }
}
