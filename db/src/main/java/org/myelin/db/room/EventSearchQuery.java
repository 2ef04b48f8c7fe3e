package org.myelin.db.room;

import java.util.List;

import org.myelin.federation.protocol.search.SearchToken;

/**
 * One page of candidate events for a search, before history visibility (which the room graph applies).
 *
 * @param userId     the searcher: only rooms they are joined to, left or were banned from are searched
 * @param term       the search term, read as {@code websearch_to_tsquery} reads it (words, "quoted phrases", or, -not)
 * @param keys       the keys to search ({@code content.body} ...), never empty
 * @param rooms      rooms to search; null for all of the searcher's
 * @param notRooms   rooms not to search
 * @param types      SQL LIKE patterns of event types to keep; empty for all
 * @param notTypes   SQL LIKE patterns of event types to leave out
 * @param senders    senders to keep; null for all
 * @param notSenders senders to leave out
 * @param byRank     order by rank (else by recency)
 * @param after      continue strictly after this position (in the same order), or null for the first page; its
 *                   room, when set, limits the search to that room
 * @param limit      the most candidates to return
 */
public record EventSearchQuery(String userId, String term, List<String> keys, List<String> rooms,
        List<String> notRooms, List<String> types, List<String> notTypes, List<String> senders,
        List<String> notSenders, boolean byRank, SearchToken after, int limit) {

    public EventSearchQuery {
        keys = List.copyOf(keys);
        rooms = rooms == null ? null : List.copyOf(rooms);
        notRooms = List.copyOf(notRooms);
        types = List.copyOf(types);
        notTypes = List.copyOf(notTypes);
        senders = senders == null ? null : List.copyOf(senders);
        notSenders = List.copyOf(notSenders);
    }

    /** The same query continuing after {@code position}. */
    public EventSearchQuery continuingAfter(SearchToken position) {
        return new EventSearchQuery(userId, term, keys, rooms, notRooms, types, notTypes, senders, notSenders,
                byRank, position, limit);
    }
}
