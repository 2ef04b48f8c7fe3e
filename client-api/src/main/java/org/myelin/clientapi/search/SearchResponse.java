package org.myelin.clientapi.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.room.api.SearchPage;
import org.myelin.room.api.SearchPage.Hit;
import org.myelin.room.api.SearchPage.HitContext;

import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the answer of POST /search from a page of results: {@code count}, {@code highlights}, {@code results}
 * (each with {@code rank}, {@code result} and, when asked for, {@code context}), {@code state}, {@code groups} and
 * {@code next_batch}. A group's {@code order} is its place among the groups (1 for the group of the first result),
 * an integer as the schema asks (Synapse puts the rank there). A room's group carries a {@code next_batch} that
 * continues within that room whenever the page has a next one: every result of the room before the page's end
 * was on the page.
 */
final class SearchResponse {

    private final ClientEvents events;

    SearchResponse(ClientEvents events) {
        this.events = events;
    }

    Map<String, Object> body(SearchPage page, Set<String> groupBy, Requester requester) {
        Map<String, Object> roomEvents = new LinkedHashMap<>();
        roomEvents.put("count", page.count());
        roomEvents.put("highlights", page.highlights());
        List<ObjectNode> formatted = page.hits().stream().map(hit -> events.format(hit.event(), requester)).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < formatted.size(); i++) {
            results.add(result(page.hits().get(i), formatted.get(i), requester));
        }
        roomEvents.put("results", results);
        if (!page.state().isEmpty()) {
            Map<String, Object> state = new LinkedHashMap<>();
            page.state().forEach((room, roomState) -> state.put(room.value(), events.format(roomState, requester)));
            roomEvents.put("state", state);
        }
        if (!groupBy.isEmpty()) {
            Map<String, Object> groups = new LinkedHashMap<>();
            for (String key : groupBy) {
                groups.put(key, groups(page, formatted, key));
            }
            roomEvents.put("groups", groups);
        }
        if (page.next() != null) {
            roomEvents.put("next_batch", page.next().encode());
        }
        return Map.of("search_categories", Map.of("room_events", roomEvents));
    }

    private Map<String, Object> result(Hit hit, ObjectNode event, Requester requester) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rank", hit.rank());
        result.put("result", event);
        if (hit.context() != null) {
            result.put("context", context(hit.context(), requester));
        }
        return result;
    }

    private Map<String, Object> context(HitContext context, Requester requester) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("start", context.start().token());
        out.put("end", context.end().token());
        out.put("events_before", events.format(context.before(), requester));
        out.put("events_after", events.format(context.after(), requester));
        if (context.profiles() != null) {
            Map<String, Object> profiles = new LinkedHashMap<>();
            context.profiles().forEach((user, profile) -> {
                Map<String, Object> info = new LinkedHashMap<>();
                putIfPresent(info, "displayname", profile.displayname());
                putIfPresent(info, "avatar_url", profile.avatarUrl());
                profiles.put(user, info);
            });
            out.put("profile_info", profiles);
        }
        return out;
    }

    /** The groups of the results by {@code key} (room_id or sender), in the order their first results come. */
    private static Map<String, Object> groups(SearchPage page, List<ObjectNode> results, String key) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (ObjectNode event : results) {
            String value = event.path(key).asString("");
            groups.computeIfAbsent(value, v -> {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("results", ids.computeIfAbsent(v, x -> new ArrayList<>()));
                group.put("order", groups.size() + 1);
                return group;
            });
            ids.get(value).add(event.path("event_id").asString(""));
        }
        if (key.equals("room_id") && page.next() != null) {
            groups.forEach((room, group) -> group.put("next_batch", page.next().inRoom(room).encode()));
        }
        return new LinkedHashMap<>(groups);
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
