package org.myelin.clientapi.search;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.filter.FilterParser;
import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.federation.protocol.search.SearchKey;
import org.myelin.federation.protocol.search.SearchToken;
import org.myelin.http.JsonFields;
import org.myelin.room.api.SearchRequest;
import org.myelin.room.api.SearchRequest.ContextRequest;

import tools.jackson.databind.JsonNode;

/**
 * Reads the body of POST /search: {@code search_categories.room_events} with its {@code search_term}, {@code keys},
 * {@code filter}, {@code order_by}, {@code event_context}, {@code include_state} and {@code groupings}. A missing
 * field the spec requires is M_MISSING_PARAM, a wrong JSON type M_BAD_JSON, a value outside the spec's
 * enumerations or a negative limit M_INVALID_PARAM. A category other than {@code room_events}, the only one the
 * spec defines, is M_INVALID_PARAM rather than silently searched for nothing (NOTSPEC: Synapse ignores it);
 * a body without {@code room_events} is M_MISSING_PARAM (Synapse answers 400 too).
 */
final class SearchRequestParser {

    /** Results per page when the filter names no limit (Synapse's filter default). */
    static final int DEFAULT_LIMIT = 10;
    /** The most results a page holds, and the most context events on either side of each. */
    static final int MAX_LIMIT = 100;
    /** Context events on either side when the request names no number (the spec's default). */
    static final int DEFAULT_CONTEXT = 5;

    private static final Set<String> GROUP_KEYS = Set.of("room_id", "sender");

    private SearchRequestParser() {
    }

    /** What the body asks for, with the groupings asked for; {@code nextBatch} is the query parameter or null. */
    static Parsed parse(JsonNode body, String nextBatch) {
        JsonNode categories = JsonFields.optionalObject(body, "search_categories");
        if (categories == null) {
            throw MatrixException.missingParam("Missing parameter: search_categories");
        }
        for (var category : categories.properties()) {
            String name = category.getKey();
            if (!name.equals("room_events")) {
                throw MatrixException.invalidParam("Unknown search category: " + name);
            }
        }
        JsonNode criteria = JsonFields.optionalObject(categories, "room_events");
        if (criteria == null) {
            throw MatrixException.missingParam("Missing parameter: search_categories.room_events");
        }
        String term = JsonFields.requiredString(criteria, "search_term");
        boolean byRank = byRank(JsonFields.optionalString(criteria, "order_by"));
        JsonNode filterJson = JsonFields.optionalObject(criteria, "filter");
        RoomEventFilter filter = filterJson == null ? RoomEventFilter.ALL : FilterParser.parseRoomEventFilter(filterJson);
        SearchToken from = nextBatch == null ? null : SearchToken.parse(nextBatch);
        if (from != null && from.byRank() != byRank) {
            throw MatrixException.invalidParam("next_batch belongs to a search in another order");
        }
        SearchRequest request = new SearchRequest(term, keys(criteria.get("keys")), filter, byRank,
                filter.limitOr(DEFAULT_LIMIT, MAX_LIMIT), from, context(JsonFields.optionalObject(criteria,
                        "event_context")), JsonFields.optionalBoolean(criteria, "include_state", false));
        return new Parsed(request, groupKeys(JsonFields.optionalObject(criteria, "groupings")));
    }

    /**
     * @param groupBy the groupings asked for ({@code room_id}, {@code sender}), in order
     */
    record Parsed(SearchRequest request, Set<String> groupBy) {
    }

    private static boolean byRank(String orderBy) {
        if (orderBy == null || orderBy.equals("rank")) {
            return true;
        }
        if (orderBy.equals("recent")) {
            return false;
        }
        throw MatrixException.invalidParam("order_by must be rank or recent");
    }

    private static List<SearchKey> keys(JsonNode keys) {
        if (keys == null || keys.isNull()) {
            return List.of(SearchKey.values());
        }
        if (!keys.isArray()) {
            throw MatrixException.badJson("keys must be an array");
        }
        Set<SearchKey> parsed = EnumSet.noneOf(SearchKey.class);
        for (JsonNode key : keys) {
            if (!key.isString()) {
                throw MatrixException.badJson("keys must be an array of strings");
            }
            parsed.add(SearchKey.parse(key.stringValue()));
        }
        if (parsed.isEmpty()) {
            throw MatrixException.invalidParam("keys must name at least one key");
        }
        return new ArrayList<>(parsed);
    }

    private static ContextRequest context(JsonNode context) {
        if (context == null) {
            return null;
        }
        return new ContextRequest(count(context, "before_limit"), count(context, "after_limit"),
                JsonFields.optionalBoolean(context, "include_profile", false));
    }

    private static int count(JsonNode context, String field) {
        JsonNode v = context.get(field);
        if (v == null || v.isNull()) {
            return DEFAULT_CONTEXT;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw MatrixException.badJson("event_context." + field + " must be an integer");
        }
        if (v.longValue() < 0) {
            throw MatrixException.invalidParam("event_context." + field + " must not be negative");
        }
        return (int) Math.min(v.longValue(), MAX_LIMIT);
    }

    private static Set<String> groupKeys(JsonNode groupings) {
        Set<String> keys = new LinkedHashSet<>();
        JsonNode groupBy = groupings == null ? null : groupings.get("group_by");
        if (groupBy == null || groupBy.isNull()) {
            return keys;
        }
        if (!groupBy.isArray()) {
            throw MatrixException.badJson("groupings.group_by must be an array");
        }
        for (JsonNode group : groupBy) {
            if (!group.isObject()) {
                throw MatrixException.badJson("groupings.group_by must be an array of objects");
            }
            String key = JsonFields.requiredString(group, "key");
            if (!GROUP_KEYS.contains(key)) {
                throw MatrixException.invalidParam("groupings.group_by keys must be room_id or sender");
            }
            keys.add(key);
        }
        return keys;
    }
}
