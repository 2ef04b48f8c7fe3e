package org.myelin.room.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

/**
 * The JSON of the room directory, the same in the Client-Server and Server-Server APIs: a POST /publicRooms body
 * read into a {@link PublicRoomsRequest}, a {@link PublicRoomsPage} written as a response, and another server's
 * response read back (leniently: an entry that is not a room is left out).
 */
public final class PublicRoomsJson {

    /** Rooms per page when the request names no limit. */
    public static final int DEFAULT_LIMIT = 100;
    /** The most rooms one page holds, whatever the request asks. */
    public static final int MAX_LIMIT = 500;

    private PublicRoomsJson() {
    }

    /** A requested page size clamped to {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when null; not positive: 400. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1) {
            throw MatrixException.invalidParam("limit must be positive");
        }
        return Math.min(requested, MAX_LIMIT);
    }

    /** A POST /publicRooms body: limit, since and filter (generic_search_term, room_types). */
    public static PublicRoomsRequest request(JsonNode body) {
        JsonNode limitNode = body.get("limit");
        Integer limit = null;
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || !limitNode.canConvertToInt()) {
                throw MatrixException.badJson("limit must be an integer");
            }
            limit = limitNode.intValue();
        }
        String since = optionalString(body, "since");
        JsonNode filter = body.get("filter");
        if (filter == null || filter.isNull()) {
            return new PublicRoomsRequest(limit(limit), since, null, null, false);
        }
        if (!filter.isObject()) {
            throw MatrixException.badJson("filter must be an object");
        }
        String term = optionalString(filter, "generic_search_term");
        List<String> types = null;
        boolean untyped = false;
        JsonNode roomTypes = filter.get("room_types");
        if (roomTypes != null && !roomTypes.isNull()) {
            if (!roomTypes.isArray()) {
                throw MatrixException.badJson("filter.room_types must be an array");
            }
            types = new ArrayList<>();
            for (JsonNode type : roomTypes) {
                if (type.isNull()) {
                    untyped = true;
                } else if (type.isString()) {
                    types.add(type.stringValue());
                } else {
                    throw MatrixException.badJson("filter.room_types must list strings or null");
                }
            }
        }
        return new PublicRoomsRequest(limit(limit), since, term == null || term.isBlank() ? null : term.strip(),
                types, untyped);
    }

    /** The request as a POST /publicRooms body for another server. */
    public static Map<String, Object> requestBody(PublicRoomsRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", request.limit());
        if (request.since() != null) {
            body.put("since", request.since());
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        if (request.searchTerm() != null) {
            filter.put("generic_search_term", request.searchTerm());
        }
        if (request.roomTypes() != null || request.includeUntyped()) {
            List<String> types = new ArrayList<>(request.roomTypes() == null ? List.of() : request.roomTypes());
            if (request.includeUntyped()) {
                types.add(null);
            }
            filter.put("room_types", types);
        }
        if (!filter.isEmpty()) {
            body.put("filter", filter);
        }
        return body;
    }

    /** The page as the spec's response body: chunk, next_batch, prev_batch, total_room_count_estimate. */
    public static Map<String, Object> body(PublicRoomsPage page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chunk", page.chunk().stream().map(PublicRoomsJson::chunk).toList());
        if (page.nextBatch() != null) {
            body.put("next_batch", page.nextBatch());
        }
        if (page.prevBatch() != null) {
            body.put("prev_batch", page.prevBatch());
        }
        body.put("total_room_count_estimate", page.totalEstimate());
        return body;
    }

    /**
     * Another server's answer as a page: entries without a string room_id are left out, optional fields of the
     * wrong type are dropped, and the tokens are kept as that server gave them (the client sends them back to it).
     */
    public static PublicRoomsPage page(JsonNode answer) {
        List<PublicRoom> rooms = new ArrayList<>();
        for (JsonNode entry : answer.path("chunk")) {
            String roomId = optionalText(entry, "room_id");
            if (roomId != null && roomId.startsWith("!")) {
                rooms.add(new PublicRoom(roomId, optionalText(entry, "name"), optionalText(entry, "topic"),
                        optionalText(entry, "canonical_alias"), Math.max(0, entry.path("num_joined_members").asLong(0)),
                        entry.path("world_readable").asBoolean(false), entry.path("guest_can_join").asBoolean(false),
                        optionalText(entry, "join_rule"), optionalText(entry, "room_type"),
                        optionalText(entry, "avatar_url")));
            }
        }
        JsonNode estimate = answer.path("total_room_count_estimate");
        return new PublicRoomsPage(rooms, optionalText(answer, "next_batch"), optionalText(answer, "prev_batch"),
                estimate.isIntegralNumber() ? estimate.asLong() : rooms.size());
    }

    private static Map<String, Object> chunk(PublicRoom room) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("room_id", room.roomId());
        chunk.put("num_joined_members", room.numJoinedMembers());
        chunk.put("world_readable", room.worldReadable());
        chunk.put("guest_can_join", room.guestCanJoin());
        putIfPresent(chunk, "name", room.name());
        putIfPresent(chunk, "topic", room.topic());
        putIfPresent(chunk, "canonical_alias", room.canonicalAlias());
        putIfPresent(chunk, "avatar_url", room.avatarUrl());
        putIfPresent(chunk, "join_rule", room.joinRule());
        putIfPresent(chunk, "room_type", room.roomType());
        return chunk;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String optionalString(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return value.stringValue();
    }

    private static String optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
