package org.myelin.federation.protocol.filter;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code event_fields} projection of a filter: keeps only the listed properties of a client event. Paths are
 * dot-separated with {@code \.} for a literal dot and {@code \\} for a literal backslash; any other backslash is
 * literal (appendices, "Dot-separated property paths"). Copies only properties that exist, and never creates an
 * empty parent object for a path that does not.
 */
public final class EventFields {

    /** The projection that keeps every field. */
    public static final EventFields ALL = new EventFields(List.of());

    private final List<List<String>> paths;

    private EventFields(List<List<String>> paths) {
        this.paths = paths;
    }

    /**
     * The projection onto {@code fields}. NOTSPEC: an empty list keeps every field, as in Synapse; the spec only
     * says an absent list does, and an empty event is of no use to any client.
     */
    public static EventFields of(List<String> fields) {
        List<List<String>> parsed = new ArrayList<>();
        for (String field : fields) {
            parsed.add(List.copyOf(split(field)));
        }
        return new EventFields(List.copyOf(parsed));
    }

    /** True when {@link #apply} returns its input unchanged. */
    public boolean keepsEverything() {
        return paths.isEmpty();
    }

    /** A new object with only the selected fields of {@code event}, or {@code event} itself if all are kept. */
    public JsonNode apply(JsonNode event) {
        if (paths.isEmpty() || !event.isObject()) {
            return event;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (List<String> path : paths) {
            copy(event, out, path);
        }
        return out;
    }

    private static void copy(JsonNode source, ObjectNode target, List<String> path) {
        JsonNode parent = source;
        for (String segment : path.subList(0, path.size() - 1)) {
            parent = parent.get(segment);
            if (parent == null || !parent.isObject()) {
                return;
            }
        }
        String leaf = path.get(path.size() - 1);
        JsonNode value = parent.get(leaf);
        if (value == null) {
            return;
        }
        ObjectNode into = target;
        for (String segment : path.subList(0, path.size() - 1)) {
            JsonNode existing = into.get(segment);
            into = existing instanceof ObjectNode o ? o : into.putObject(segment);
        }
        into.set(leaf, value.deepCopy());
    }

    /**
     * Splits a dot-separated property path (appendix "Dot-separated property paths"), resolving the {@code \.} and
     * {@code \\} escapes; any other backslash stays as it is. Push rule condition keys use the same paths.
     */
    public static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                current.append(path.charAt(++i));
            } else if (c == '.') {
                segments.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        segments.add(current.toString());
        return segments;
    }
}
