package org.myelin.room.api;

import java.util.List;

/**
 * GET or POST /publicRooms for this server.
 *
 * @param limit          rooms per page at most
 * @param since          a next_batch or prev_batch token from an earlier page, or null for the first page
 * @param searchTerm     filter.generic_search_term, or null
 * @param roomTypes      filter.room_types without its null entry, or null when the filter names no types
 * @param includeUntyped whether filter.room_types contains null (rooms without a type)
 */
public record PublicRoomsRequest(int limit, String since, String searchTerm, List<String> roomTypes,
        boolean includeUntyped) {

    public PublicRoomsRequest {
        roomTypes = roomTypes == null ? null : List.copyOf(roomTypes);
    }
}
