package org.myelin.clientapi.push.notify;

import java.util.List;

import org.myelin.federation.protocol.auth.AuthEvent;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** A current state event's JSON seen as an {@link AuthEvent}, so that power levels are read by the protocol core. */
record StateEventView(JsonNode json) implements AuthEvent {

    @Override
    public String eventId() {
        return json.path("event_id").asString("");
    }

    @Override
    public String roomId() {
        return json.path("room_id").asString(null);
    }

    @Override
    public String type() {
        return json.path("type").asString("");
    }

    @Override
    public String stateKey() {
        return json.path("state_key").asString(null);
    }

    @Override
    public String sender() {
        return json.path("sender").asString("");
    }

    @Override
    public JsonNode content() {
        JsonNode content = json.path("content");
        return content.isObject() ? content : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public List<String> authEventIds() {
        return List.of();
    }

    @Override
    public List<String> prevEventIds() {
        return List.of();
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
        return null;
    }

    @Override
    public boolean rejected() {
        return false;
    }
}
