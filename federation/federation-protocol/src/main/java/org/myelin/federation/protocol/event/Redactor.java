package org.myelin.federation.protocol.event;

import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersion.RedactionAlgorithm;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The redaction algorithms of the room versions (rooms/fragments/v1-, v6-, v9-, v11-redactions.md and
 * rooms/v8.md): strip every top-level key not in the version's list, and every content key that the event
 * type does not protect. The result always has a {@code content} object, {@code {}} when the input had none,
 * as synapse and gomatrixserverlib do and as the older spec signing vector requires.
 */
public final class Redactor {

    private static final Set<String> TOP_LEVEL_V1 = Set.of("event_id", "type", "room_id", "sender", "state_key",
            "content", "hashes", "signatures", "depth", "prev_events", "prev_state", "auth_events", "origin",
            "origin_server_ts", "membership");

    /** v11 drops {@code origin}, {@code membership} and {@code prev_state}. */
    private static final Set<String> TOP_LEVEL_V11 = Set.of("event_id", "type", "room_id", "sender",
            "state_key", "content", "hashes", "signatures", "depth", "prev_events", "auth_events",
            "origin_server_ts");

    private static final List<String> POWER_LEVELS = List.of("ban", "events", "events_default", "kick", "redact",
            "state_default", "users", "users_default");

    private Redactor() {
    }

    /** The redacted copy of {@code event} under the room version's algorithm. */
    public static ObjectNode redact(JsonNode event, RoomVersion version) {
        return redact(event, version.redaction());
    }

    /** The redacted copy of {@code event} under the given algorithm; the input is not modified. */
    public static ObjectNode redact(JsonNode event, RedactionAlgorithm algorithm) {
        Set<String> keep = algorithm == RedactionAlgorithm.V11 ? TOP_LEVEL_V11 : TOP_LEVEL_V1;
        ObjectNode redacted = JsonNodeFactory.instance.objectNode();
        for (String name : event.propertyNames()) {
            if (keep.contains(name) && !name.equals("content")) {
                redacted.set(name, event.get(name).deepCopy());
            }
        }
        JsonNode content = event.path("content");
        String type = event.path("type").isString() ? event.path("type").stringValue() : "";
        redacted.set("content", content.isObject() ? redactContent(type, content, algorithm)
                : JsonNodeFactory.instance.objectNode());
        return redacted;
    }

    private static ObjectNode redactContent(String type, JsonNode content, RedactionAlgorithm algorithm) {
        boolean v8 = atLeast(algorithm, RedactionAlgorithm.V8);
        boolean v9 = atLeast(algorithm, RedactionAlgorithm.V9);
        boolean v11 = atLeast(algorithm, RedactionAlgorithm.V11);
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case "m.room.member" -> {
                copy(content, kept, "membership");
                if (v9) {
                    copy(content, kept, "join_authorised_via_users_server");
                }
                if (v11 && content.path("third_party_invite").has("signed")) {
                    kept.putObject("third_party_invite")
                            .set("signed", content.get("third_party_invite").get("signed").deepCopy());
                }
            }
            case "m.room.create" -> {
                if (v11) {
                    return ((ObjectNode) content).deepCopy();
                }
                copy(content, kept, "creator");
            }
            case "m.room.join_rules" -> {
                copy(content, kept, "join_rule");
                if (v8) {
                    copy(content, kept, "allow");
                }
            }
            case "m.room.power_levels" -> {
                POWER_LEVELS.forEach(key -> copy(content, kept, key));
                if (v11) {
                    copy(content, kept, "invite");
                }
            }
            case "m.room.aliases" -> {
                if (algorithm == RedactionAlgorithm.V1) {
                    copy(content, kept, "aliases");
                }
            }
            case "m.room.history_visibility" -> copy(content, kept, "history_visibility");
            case "m.room.redaction" -> {
                if (v11) {
                    copy(content, kept, "redacts");
                }
            }
            default -> {
                // Every other event type keeps no content.
            }
        }
        return kept;
    }

    private static boolean atLeast(RedactionAlgorithm algorithm, RedactionAlgorithm since) {
        return algorithm.compareTo(since) >= 0;
    }

    private static void copy(JsonNode from, ObjectNode to, String key) {
        if (from.has(key)) {
            to.set(key, from.get(key).deepCopy());
        }
    }
}
