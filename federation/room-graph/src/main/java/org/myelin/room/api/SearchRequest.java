package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.federation.protocol.search.SearchKey;
import org.myelin.federation.protocol.search.SearchToken;

/**
 * The {@code room_events} criteria of POST /search.
 *
 * @param term         the search term
 * @param keys         the fields to search, never empty
 * @param filter       which events may be results (rooms, senders, types, contains_url)
 * @param byRank       order by rank (else by recency)
 * @param limit        the most results on this page
 * @param from         the {@code next_batch} to continue from, or null for the first page
 * @param context      the events to return around each result, or null for none
 * @param includeState whether to return the state of each room in the results
 */
public record SearchRequest(String term, List<SearchKey> keys, RoomEventFilter filter, boolean byRank, int limit,
        SearchToken from, ContextRequest context, boolean includeState) {

    public SearchRequest {
        keys = List.copyOf(keys);
    }

    /**
     * @param before         how many events before each result
     * @param after          how many events after each result
     * @param includeProfile whether to return the senders' display names and avatars at the result
     */
    public record ContextRequest(int before, int after, boolean includeProfile) {
    }
}
