package org.myelin.federation.protocol.search;

import java.util.Arrays;
import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;

/**
 * The event fields /search can look in (the spec's {@code keys}), each the text field of one event type, as
 * Synapse indexes them: {@code content.body} of {@code m.room.message}, {@code content.name} of
 * {@code m.room.name}, {@code content.topic} of {@code m.room.topic}.
 */
public enum SearchKey {
    BODY("content.body", "m.room.message"),
    NAME("content.name", "m.room.name"),
    TOPIC("content.topic", "m.room.topic");

    private final String key;
    private final String eventType;

    SearchKey(String key, String eventType) {
        this.key = key;
        this.eventType = eventType;
    }

    /** The key as the spec writes it, e.g. {@code content.body}. */
    public String key() {
        return key;
    }

    /** The field inside {@code content}, e.g. {@code body}. */
    public String contentField() {
        return key.substring("content.".length());
    }

    /** The key whose text an event of {@code type} carries, if that type is searchable. */
    public static Optional<SearchKey> forEventType(String type) {
        return Arrays.stream(values()).filter(k -> k.eventType.equals(type)).findFirst();
    }

    /** The key named {@code key}; any other value is 400 M_INVALID_PARAM. */
    public static SearchKey parse(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst().orElseThrow(
                () -> MatrixException.invalidParam("keys may only hold content.body, content.name and content.topic"));
    }
}
