package org.myelin.federation.protocol.visibility;

import java.util.List;

import org.myelin.federation.protocol.auth.AuthEvent;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal {@link AuthEvent} for visibility tests: only type, state key, sender and content matter. */
record TestEvent(String eventId, String type, String stateKey, String sender, JsonNode content)
        implements AuthEvent {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static TestEvent message(String eventId, String sender) {
        return new TestEvent(eventId, "m.room.message", null, sender, MAPPER.readTree("{\"body\":\"hi\"}"));
    }

    static TestEvent state(String eventId, String type, String stateKey, String sender, String content) {
        return new TestEvent(eventId, type, stateKey, sender, MAPPER.readTree(content));
    }

    static TestEvent member(String eventId, String userId, String membership) {
        return state(eventId, "m.room.member", userId, userId, "{\"membership\":\"" + membership + "\"}");
    }

    static TestEvent historyVisibility(String eventId, String value) {
        return state(eventId, HistoryVisibility.TYPE, "", "@admin:example.org",
                "{\"history_visibility\":\"" + value + "\"}");
    }

    @Override
    public String roomId() {
        return "!room:example.org";
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
        return 0;
    }

    @Override
    public long originServerTs() {
        return 0;
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
