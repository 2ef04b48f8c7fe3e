package org.myelin.clientapi.slidingsync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Extensions;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListFilters;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListRequest;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Range;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomConfig;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomScoped;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ToDevice;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonFields;

import tools.jackson.databind.JsonNode;

/**
 * Reads a sliding sync request body, with Synapse's limits: at most 100 lists with names of at most 64 characters,
 * a {@code timeline_limit} from 0 to 1000, both it and {@code required_state} required in every list and room
 * subscription. A wrong JSON type is M_BAD_JSON, a missing field M_MISSING_PARAM, a value out of range
 * M_INVALID_PARAM. Fields this server does not know (e.g. {@code room_name_like}, {@code include_old_rooms}) are
 * ignored, as unknown extensions are.
 */
final class SlidingSyncRequestParser {

    static final int MAX_LISTS = 100;
    static final int MAX_LIST_NAME = 64;
    static final int MAX_TIMELINE_LIMIT = 1000;
    static final int MAX_TO_DEVICE = 100;
    private static final int MAX_CONN_ID = 255;
    private static final int MAX_ID = 255;

    private SlidingSyncRequestParser() {
    }

    static SlidingSyncRequest parse(JsonNode body) {
        String connId = JsonFields.optionalString(body, "conn_id", MAX_CONN_ID);
        Map<String, ListRequest> lists = new LinkedHashMap<>();
        JsonNode listsNode = JsonFields.optionalObject(body, "lists");
        if (listsNode != null) {
            if (listsNode.size() > MAX_LISTS) {
                throw MatrixException.invalidParam("At most " + MAX_LISTS + " lists");
            }
            for (Map.Entry<String, JsonNode> e : listsNode.properties()) {
                if (e.getKey().length() > MAX_LIST_NAME) {
                    throw MatrixException.invalidParam("A list name has at most " + MAX_LIST_NAME + " characters");
                }
                lists.put(e.getKey(), list(object(e.getValue(), "lists." + e.getKey()), "lists." + e.getKey()));
            }
        }
        Map<String, RoomConfig> subscriptions = new LinkedHashMap<>();
        JsonNode subs = JsonFields.optionalObject(body, "room_subscriptions");
        if (subs != null) {
            for (Map.Entry<String, JsonNode> e : subs.properties()) {
                String roomId = e.getKey();
                if (!roomId.startsWith("!") || roomId.length() > MAX_ID) {
                    throw MatrixException.invalidParam("room_subscriptions are keyed by room ID");
                }
                subscriptions.put(roomId, config(object(e.getValue(), "room_subscriptions"), "room_subscriptions"));
            }
        }
        JsonNode extensions = JsonFields.optionalObject(body, "extensions");
        return new SlidingSyncRequest(connId == null ? "" : connId, lists, subscriptions,
                extensions == null ? Extensions.NONE : extensions(extensions));
    }

    private static ListRequest list(JsonNode node, String where) {
        List<Range> ranges = new ArrayList<>();
        JsonNode rangesNode = node.get("ranges");
        if (rangesNode != null && !rangesNode.isNull()) {
            for (JsonNode range : array(rangesNode, where + ".ranges")) {
                if (!range.isArray() || range.size() != 2) {
                    throw new MatrixException(ErrCode.M_BAD_JSON, where + ".ranges holds [start, end] pairs");
                }
                int start = index(range.get(0), where);
                int end = index(range.get(1), where);
                if (start > end) {
                    throw MatrixException.invalidParam(where + ": a range ends before it starts");
                }
                ranges.add(new Range(start, end));
            }
        }
        boolean all = JsonFields.optionalBoolean(node, "slow_get_all_rooms", false);
        JsonNode filters = JsonFields.optionalObject(node, "filters");
        return new ListRequest(ranges, all, config(node, where), filters == null ? ListFilters.NONE
                : filters(filters, where + ".filters"));
    }

    private static RoomConfig config(JsonNode node, String where) {
        JsonNode limit = node.get("timeline_limit");
        if (limit == null || limit.isNull()) {
            throw MatrixException.missingParam("Missing parameter: " + where + ".timeline_limit");
        }
        if (!limit.isIntegralNumber()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, where + ".timeline_limit must be an integer");
        }
        if (!limit.canConvertToInt() || limit.intValue() < 0 || limit.intValue() > MAX_TIMELINE_LIMIT) {
            throw MatrixException.invalidParam(where + ".timeline_limit must be from 0 to " + MAX_TIMELINE_LIMIT);
        }
        JsonNode state = node.get("required_state");
        if (state == null || state.isNull()) {
            throw MatrixException.missingParam("Missing parameter: " + where + ".required_state");
        }
        List<List<String>> pairs = new ArrayList<>();
        for (JsonNode pair : array(state, where + ".required_state")) {
            if (!pair.isArray() || pair.size() != 2) {
                throw new MatrixException(ErrCode.M_BAD_JSON, where + ".required_state holds [type, state_key] pairs");
            }
            pairs.add(List.of(JsonFields.string(pair.get(0), "required_state type", MAX_ID),
                    JsonFields.string(pair.get(1), "required_state state_key", MAX_ID)));
        }
        return new RoomConfig(limit.intValue(), RequiredState.of(pairs));
    }

    private static ListFilters filters(JsonNode node, String where) {
        return new ListFilters(optionalFlag(node, "is_dm"), strings(node, "spaces", where, false),
                optionalFlag(node, "is_encrypted"), optionalFlag(node, "is_invite"),
                strings(node, "room_types", where, true), strings(node, "not_room_types", where, true),
                strings(node, "tags", where, false), strings(node, "not_tags", where, false));
    }

    private static Extensions extensions(JsonNode node) {
        JsonNode toDevice = enabled(node, "to_device");
        ToDevice device = null;
        if (toDevice != null) {
            JsonNode limit = toDevice.get("limit");
            int max = MAX_TO_DEVICE;
            if (limit != null && !limit.isNull()) {
                if (!limit.isIntegralNumber()) {
                    throw new MatrixException(ErrCode.M_BAD_JSON, "extensions.to_device.limit must be an integer");
                }
                if (!limit.canConvertToInt() || limit.intValue() < 1) {
                    throw MatrixException.invalidParam("extensions.to_device.limit must be positive");
                }
                max = Math.min(MAX_TO_DEVICE, limit.intValue());
            }
            String since = JsonFields.optionalString(toDevice, "since", 20);
            if (since != null && !since.matches("\\d{1,18}")) {
                throw MatrixException.invalidParam("extensions.to_device.since is not a to-device position");
            }
            device = new ToDevice(max, since == null ? null : Long.parseLong(since));
        }
        return new Extensions(device, enabled(node, "e2ee") != null, roomScoped(node, "account_data"),
                roomScoped(node, "receipts"), roomScoped(node, "typing"));
    }

    /** The extension's object if it is there and {@code enabled}, else null. */
    private static JsonNode enabled(JsonNode extensions, String name) {
        JsonNode node = JsonFields.optionalObject(extensions, name);
        return node != null && JsonFields.optionalBoolean(node, "enabled", false) ? node : null;
    }

    private static RoomScoped roomScoped(JsonNode extensions, String name) {
        JsonNode node = enabled(extensions, name);
        if (node == null) {
            return null;
        }
        List<String> lists = strings(node, "lists", "extensions." + name, false);
        List<String> rooms = strings(node, "rooms", "extensions." + name, false);
        return new RoomScoped(lists == null ? List.of(RequiredState.WILDCARD) : lists,
                rooms == null ? List.of(RequiredState.WILDCARD) : rooms);
    }

    private static Boolean optionalFlag(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : JsonFields.optionalBoolean(node, field, false);
    }

    /** An optional array of strings (with {@code nulls}, of strings or nulls); null when absent. */
    private static List<String> strings(JsonNode node, String field, String where, boolean nulls) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(v, where + "." + field)) {
            if (nulls && item.isNull()) {
                out.add(null);
            } else {
                out.add(JsonFields.string(item, where + "." + field, MAX_ID));
            }
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, where + " must be an array");
        }
        return node;
    }

    private static JsonNode object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, where + " must be an object");
        }
        return node;
    }

    /** A list position: a non-negative integer, ones beyond the int range read as the largest int. */
    private static int index(JsonNode node, String where) {
        if (node == null || !node.isIntegralNumber()) {
            throw new MatrixException(ErrCode.M_BAD_JSON, where + ".ranges holds integers");
        }
        if (node.canConvertToLong() ? node.longValue() < 0 : node.bigIntegerValue().signum() < 0) {
            throw MatrixException.invalidParam(where + ".ranges must not be negative");
        }
        return node.canConvertToInt() ? node.intValue() : Integer.MAX_VALUE;
    }
}
