package org.myelin.room.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.space.RoomSummary;
import org.myelin.federation.protocol.space.SpaceChild;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a depth-first walk of a space tree stands: a stack of rooms still to visit (the next one on top, so that
 * children pushed in reverse come out in the spec's order) and the rooms already visited, which are never visited
 * twice (spaces may contain each other). It is stored between pages as JSON.
 */
final class HierarchyWalk {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A room to visit.
     *
     * @param via    the servers its parent's m.space.child names, to ask when this server is not in the room
     * @param depth  its distance from the root
     * @param remote the summary another server gave with its parent's answer, or null
     */
    record Entry(String roomId, List<String> via, int depth, RoomSummary remote) {
    }

    private final Deque<Entry> stack;
    private final Set<String> visited;

    private HierarchyWalk(Deque<Entry> stack, Set<String> visited) {
        this.stack = stack;
        this.visited = visited;
    }

    /** A walk that starts at the root. */
    static HierarchyWalk from(String rootId) {
        Deque<Entry> stack = new ArrayDeque<>();
        stack.push(new Entry(rootId, List.of(), 0, null));
        return new HierarchyWalk(stack, new LinkedHashSet<>());
    }

    /** The next room not visited yet, taken off the stack; null when the walk is done. */
    Entry next() {
        while (!stack.isEmpty()) {
            Entry entry = stack.pop();
            if (!visited.contains(entry.roomId())) {
                return entry;
            }
        }
        return null;
    }

    /** Whether rooms remain that were not visited. */
    boolean hasMore() {
        return stack.stream().anyMatch(e -> !visited.contains(e.roomId()));
    }

    void visited(String roomId) {
        visited.add(roomId);
    }

    /**
     * Puts a visited room's children on the stack so that the first child is visited next, leaving out those its
     * server called inaccessible.
     *
     * @param summaries summaries of the children that came with the parent's remote answer
     */
    void push(Entry parent, List<SpaceChild> children, Map<String, RoomSummary> summaries, Set<String> inaccessible) {
        for (int i = children.size() - 1; i >= 0; i--) {
            SpaceChild child = children.get(i);
            if (!inaccessible.contains(child.roomId())) {
                stack.push(new Entry(child.roomId(), child.via(), parent.depth() + 1, summaries.get(child.roomId())));
            }
        }
    }

    String toJson() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode entries = out.putArray("stack");
        for (Entry entry : stack) {
            ObjectNode node = entries.addObject().put("room_id", entry.roomId()).put("depth", entry.depth());
            entry.via().forEach(node.putArray("via")::add);
            if (entry.remote() != null) {
                node.set("remote", entry.remote().toJson());
            }
        }
        visited.forEach(out.putArray("visited")::add);
        return out.toString();
    }

    /** Reads a stored walk; one this server cannot read is an invalid token (400 M_INVALID_PARAM). */
    static HierarchyWalk fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            throw MatrixException.invalidParam("Unknown pagination token");
        }
        Deque<Entry> stack = new ArrayDeque<>();
        for (JsonNode entry : node.path("stack")) {
            List<String> via = new ArrayList<>();
            entry.path("via").forEach(v -> via.add(v.stringValue("")));
            stack.addLast(new Entry(entry.path("room_id").stringValue(""), via, entry.path("depth").asInt(),
                    RoomSummary.fromJson(entry.get("remote")).orElse(null)));
        }
        Set<String> visited = new LinkedHashSet<>();
        node.path("visited").forEach(v -> visited.add(v.stringValue("")));
        return new HierarchyWalk(stack, visited);
    }
}
