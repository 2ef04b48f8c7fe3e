package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The content rules of m.room.canonical_alias that a server checks when a client sends one (as Synapse does):
 * {@code alias} is a room alias or absent, null or empty; {@code alt_aliases} is an array of room aliases. Only
 * what an event adds to the previous one is checked against the directory, so an alias deleted since it was
 * published does not block other edits.
 */
final class CanonicalAliases {

    /** The event type. */
    static final String TYPE = "m.room.canonical_alias";

    private CanonicalAliases() {
    }

    /**
     * The aliases {@code content} claims that {@code previous} did not: its alias when that changed, and its
     * alt_aliases that were not alt_aliases before. Throws 400 M_INVALID_PARAM for malformed content.
     *
     * @param previous the content of the room's current m.room.canonical_alias, or an empty object
     */
    static List<RoomAlias> added(JsonNode content, JsonNode previous) {
        Set<String> claimed = new LinkedHashSet<>();
        JsonNode alias = content.path("alias");
        if (!alias.isMissingNode() && !alias.isNull()) {
            if (!alias.isString()) {
                throw MatrixException.invalidParam("alias must be a string");
            }
            if (!alias.stringValue().isEmpty() && !alias.equals(previous.path("alias"))) {
                claimed.add(alias.stringValue());
            }
        }
        JsonNode alt = content.path("alt_aliases");
        if (!alt.isMissingNode()) {
            if (!alt.isArray()) {
                throw MatrixException.invalidParam("alt_aliases must be an array");
            }
            JsonNode before = previous.path("alt_aliases");
            for (JsonNode entry : alt) {
                if (!entry.isString()) {
                    throw MatrixException.invalidParam("alt_aliases must list room aliases");
                }
                if (!before.isArray() || !contains(before, entry)) {
                    claimed.add(entry.stringValue());
                }
            }
        }
        List<RoomAlias> aliases = new ArrayList<>();
        for (String value : claimed) {
            aliases.add(RoomAlias.parse(value));
        }
        return aliases;
    }

    /**
     * {@code content} with {@code alias} taken out of {@code alias} and {@code alt_aliases}; null when it does
     * not mention the alias.
     */
    static ObjectNode without(ObjectNode content, String alias) {
        ObjectNode updated = content.deepCopy();
        boolean changed = false;
        if (alias.equals(updated.path("alias").stringValue(null))) {
            updated.remove("alias");
            changed = true;
        }
        if (updated.get("alt_aliases") instanceof ArrayNode alt) {
            for (int i = alt.size() - 1; i >= 0; i--) {
                if (alias.equals(alt.get(i).stringValue(null))) {
                    alt.remove(i);
                    changed = true;
                }
            }
        }
        return changed ? updated : null;
    }

    private static boolean contains(JsonNode array, JsonNode value) {
        for (JsonNode entry : array) {
            if (entry.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
