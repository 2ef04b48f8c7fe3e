package org.myelin.db.room;

import java.util.List;

/**
 * One page of the published room directory, ordered by joined members (most first), then room ID.
 *
 * @param searchTerm     matched case-insensitively as a substring of name, topic or canonical alias; null for all
 * @param roomTypes      the m.room.create types to include; null for every room
 * @param includeUntyped with {@code roomTypes}, also include rooms without a type
 * @param from           the page starts just after (or, backwards, ends just before) this room; null from the start
 * @param backwards      page towards the start of the order
 * @param limit          rows to return at most
 */
public record PublicRoomsQuery(String searchTerm, List<String> roomTypes, boolean includeUntyped, Position from,
        boolean backwards, int limit) {

    public PublicRoomsQuery {
        roomTypes = roomTypes == null ? null : List.copyOf(roomTypes);
    }

    /** A place in the directory's order. */
    public record Position(long joinedMembers, String roomId) {
    }
}
