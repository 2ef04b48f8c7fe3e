package org.myelin.federation.protocol.space;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code m.space.child} event that makes a room part of a space: its state key is the child's room ID and its
 * {@code via} a non-empty list of server names (an event without one, e.g. a redacted one, removes the child).
 *
 * @param roomId         the child room (the state key)
 * @param via            the servers to ask about or join the child through, as the event lists them
 * @param order          the {@code order} key when valid (at most 50 characters from U+0020 to U+007E), else null
 * @param suggested      whether {@code suggested} is {@code true}
 * @param sender         the event's sender
 * @param originServerTs the event's {@code origin_server_ts}
 * @param content        the event content as sent
 */
public record SpaceChild(String roomId, List<String> via, String order, boolean suggested, String sender,
        long originServerTs, ObjectNode content) {

    /** The event type. */
    public static final String TYPE = "m.space.child";
    /** The longest valid {@code order}. */
    public static final int MAX_ORDER_LENGTH = 50;

    /**
     * The spec's ordering of a space's children: by valid {@code order} (lexicographically, children without one
     * last), then by the event's {@code origin_server_ts}, then by room ID.
     */
    public static final Comparator<SpaceChild> ORDERING = Comparator
            .comparing((SpaceChild c) -> c.order() == null)
            .thenComparing(c -> c.order() == null ? "" : c.order())
            .thenComparingLong(SpaceChild::originServerTs)
            .thenComparing(SpaceChild::roomId);

    public SpaceChild {
        via = List.copyOf(via);
    }

    /**
     * Reads an event, or a stripped state event with {@code origin_server_ts}; empty when it is no valid child: not
     * {@code m.space.child}, a state key that is not a room ID, no sender, or no valid {@code via}.
     */
    public static Optional<SpaceChild> of(JsonNode event) {
        if (event == null || !TYPE.equals(event.path("type").stringValue(null))) {
            return Optional.empty();
        }
        String roomId = event.path("state_key").stringValue(null);
        String sender = event.path("sender").stringValue(null);
        JsonNode content = event.path("content");
        List<String> via = via(content.path("via"));
        if (!isRoomId(roomId) || sender == null || !content.isObject() || via.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SpaceChild(roomId, via, validOrder(content.path("order")),
                content.path("suggested").isBoolean() && content.path("suggested").booleanValue(), sender,
                event.path("origin_server_ts").asLong(0), (ObjectNode) content.deepCopy()));
    }

    /** The children of {@code events} that are valid, in the spec's order. */
    public static List<SpaceChild> ordered(Iterable<? extends JsonNode> events) {
        List<SpaceChild> children = new ArrayList<>();
        for (JsonNode event : events) {
            of(event).ifPresent(children::add);
        }
        children.sort(ORDERING);
        return List.copyOf(children);
    }

    /** The stripped state event of a hierarchy's {@code children_state}, with {@code origin_server_ts}. */
    public ObjectNode toStrippedState() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", TYPE);
        out.put("state_key", roomId);
        out.set("content", content.deepCopy());
        out.put("sender", sender);
        out.put("origin_server_ts", originServerTs);
        return out;
    }

    /** The {@code via} list when it is a non-empty array of non-empty strings, else empty. */
    private static List<String> via(JsonNode via) {
        if (!via.isArray() || via.isEmpty()) {
            return List.of();
        }
        List<String> servers = new ArrayList<>();
        for (JsonNode server : via) {
            if (!server.isString() || server.stringValue().isEmpty()) {
                return List.of();
            }
            servers.add(server.stringValue());
        }
        return servers;
    }

    /** {@code order} if it is a string of 1 to 50 characters between U+0020 and U+007E, else null. */
    static String validOrder(JsonNode order) {
        if (!order.isString()) {
            return null;
        }
        String value = order.stringValue();
        if (value.isEmpty() || value.length() > MAX_ORDER_LENGTH) {
            return null;
        }
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E) ? value : null;
    }

    private static boolean isRoomId(String value) {
        if (value == null) {
            return false;
        }
        try {
            RoomId.parse(value);
            return true;
        } catch (MatrixException e) {
            return false;
        }
    }
}
