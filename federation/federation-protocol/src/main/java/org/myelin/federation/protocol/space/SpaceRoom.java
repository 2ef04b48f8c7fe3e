package org.myelin.federation.protocol.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A room of a space hierarchy: its summary and, for a space, its valid children in the spec's order (none for
 * other rooms or when they were not asked for).
 */
public record SpaceRoom(RoomSummary summary, List<SpaceChild> children) {

    public SpaceRoom {
        children = List.copyOf(children);
    }

    public String roomId() {
        return summary.roomId();
    }

    /** The room with only the children {@code suggested} marks, when {@code suggestedOnly}. */
    public SpaceRoom suggestedOnly(boolean suggestedOnly) {
        return suggestedOnly ? new SpaceRoom(summary, children.stream().filter(SpaceChild::suggested).toList()) : this;
    }

    /** The hierarchy entry: the summary with {@code children_state}. */
    public ObjectNode toJson() {
        ObjectNode out = summary.toJson();
        var state = out.putArray("children_state");
        children.forEach(child -> state.add(child.toStrippedState()));
        return out;
    }

    /**
     * Reads another server's hierarchy entry (its summary and {@code children_state}); empty when the summary is
     * malformed. Invalid child events are dropped.
     */
    public static Optional<SpaceRoom> fromJson(JsonNode json) {
        return RoomSummary.fromJson(json).map(summary -> {
            List<JsonNode> events = new ArrayList<>();
            json.path("children_state").forEach(events::add);
            return new SpaceRoom(summary, SpaceChild.ordered(events));
        });
    }
}
