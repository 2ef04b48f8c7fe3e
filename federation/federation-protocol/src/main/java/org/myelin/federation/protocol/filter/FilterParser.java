package org.myelin.federation.protocol.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import tools.jackson.databind.JsonNode;

/**
 * Reads a filter JSON object into the typed model, checking it against the spec's schemas. A value of the wrong
 * JSON type is {@code M_BAD_JSON}; a value of the right type that the schema still forbids (an unknown
 * {@code event_format}, a negative {@code limit}, a malformed user or room ID) is {@code M_INVALID_PARAM}. Both are
 * 400. Synapse answers every schema failure with 400 {@code M_UNKNOWN}; Dendrite uses {@code M_BAD_JSON}.
 *
 * <p>Lenient where clients differ: unknown keys are ignored, JSON {@code null} counts as absent, and
 * {@code limit: 0} is accepted (NOTSPEC: the schema asks for more than 0, but Synapse accepts 0 and clients use
 * it to ask for no timeline events).
 */
public final class FilterParser {

    private FilterParser() {
    }

    /** The whole {@code Filter} object (a stored filter, or the inline {@code filter} of /sync). */
    public static Filter parse(JsonNode filter) {
        requireObject(filter, "filter");
        String format = string(filter, "event_format", "filter");
        EventFormat eventFormat = format == null ? EventFormat.CLIENT : EventFormat.fromWire(format);
        if (eventFormat == null) {
            throw MatrixException.invalidParam("filter.event_format must be 'client' or 'federation'");
        }
        return new Filter(strings(filter, "event_fields", "filter", s -> { }), eventFormat,
                eventFilter(child(filter, "presence", "filter"), "filter.presence"),
                eventFilter(child(filter, "account_data", "filter"), "filter.account_data"),
                roomFilter(child(filter, "room", "filter")));
    }

    /** A {@code RoomEventFilter} alone, as /messages and /context take it. */
    public static RoomEventFilter parseRoomEventFilter(JsonNode filter) {
        requireObject(filter, "filter");
        return roomEventFilter(filter, "filter");
    }

    private static RoomFilter roomFilter(JsonNode room) {
        if (room == null) {
            return RoomFilter.ALL;
        }
        String where = "filter.room";
        return new RoomFilter(strings(room, "rooms", where, RoomId::parse),
                strings(room, "not_rooms", where, FilterParser::deniedRoom), bool(room, "include_leave", where),
                roomEventFilter(child(room, "ephemeral", where), where + ".ephemeral"),
                roomEventFilter(child(room, "state", where), where + ".state"),
                roomEventFilter(child(room, "timeline", where), where + ".timeline"),
                roomEventFilter(child(room, "account_data", where), where + ".account_data"));
    }

    private static RoomEventFilter roomEventFilter(JsonNode f, String where) {
        if (f == null) {
            return RoomEventFilter.ALL;
        }
        JsonNode url = f.get("contains_url");
        if (url != null && !url.isNull() && !url.isBoolean()) {
            throw MatrixException.badJson(where + ".contains_url must be a boolean");
        }
        return new RoomEventFilter(eventFilter(f, where), strings(f, "rooms", where, RoomId::parse),
                strings(f, "not_rooms", where, FilterParser::deniedRoom),
                url == null || url.isNull() ? null : url.booleanValue(), bool(f, "lazy_load_members", where),
                bool(f, "include_redundant_members", where), bool(f, "unread_thread_notifications", where));
    }

    private static EventFilter eventFilter(JsonNode f, String where) {
        if (f == null) {
            return EventFilter.ALL;
        }
        return new EventFilter(limit(f, where), strings(f, "types", where, s -> { }),
                strings(f, "not_types", where, s -> { }), strings(f, "senders", where, UserId::parse),
                strings(f, "not_senders", where, FilterParser::deniedSender));
    }

    private static Integer limit(JsonNode f, String where) {
        JsonNode v = f.get("limit");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw MatrixException.badJson(where + ".limit must be an integer");
        }
        if (v.bigIntegerValue().signum() < 0) {
            throw MatrixException.invalidParam(where + ".limit must not be negative");
        }
        return v.canConvertToInt() ? v.intValue() : Integer.MAX_VALUE;
    }

    private static List<String> strings(JsonNode parent, String field, String where, Consumer<String> check) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw MatrixException.badJson(where + "." + field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isString()) {
                throw MatrixException.badJson(where + "." + field + " must be an array of strings");
            }
            check.accept(item.asString());
            out.add(item.asString());
        }
        return out;
    }

    private static JsonNode child(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        requireObject(v, where + "." + field);
        return v;
    }

    private static String string(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw MatrixException.badJson(where + "." + field + " must be a string");
        }
        return v.asString();
    }

    private static boolean bool(JsonNode parent, String field, String where) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw MatrixException.badJson(where + "." + field + " must be a boolean");
        }
        return v.booleanValue();
    }

    private static void requireObject(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, where + " must be a JSON object");
        }
    }

    /** {@code *} is allowed in a deny list as "every room" (see {@link Rooms}); anything else must be a room ID. */
    private static void deniedRoom(String value) {
        if (!"*".equals(value)) {
            RoomId.parse(value);
        }
    }

    /** {@code *} is allowed in a deny list as "every sender"; anything else must be a user ID. */
    private static void deniedSender(String value) {
        if (!"*".equals(value)) {
            UserId.parse(value);
        }
    }
}
