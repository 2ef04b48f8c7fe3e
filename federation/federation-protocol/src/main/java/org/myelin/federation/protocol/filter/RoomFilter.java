package org.myelin.federation.protocol.filter;

import java.util.List;

/**
 * The spec's {@code RoomFilter}: which rooms a /sync covers, whether left rooms are included, and a
 * {@link RoomEventFilter} for each section of a room. {@code rooms}/{@code not_rooms} apply before the section
 * filters.
 *
 * @param rooms        rooms to include; null for all
 * @param notRooms     rooms to exclude, even when listed in {@code rooms}; never null
 * @param includeLeave include rooms the user has left
 * @param ephemeral    the {@code ephemeral} section (typing, receipts)
 * @param state        the {@code state} section
 * @param timeline     the {@code timeline} section
 * @param accountData  the per-room {@code account_data} section
 */
public record RoomFilter(List<String> rooms, List<String> notRooms, boolean includeLeave,
        RoomEventFilter ephemeral, RoomEventFilter state, RoomEventFilter timeline, RoomEventFilter accountData) {

    /** Every room, every section unfiltered, left rooms excluded. */
    public static final RoomFilter ALL = new RoomFilter(null, List.of(), false, RoomEventFilter.ALL,
            RoomEventFilter.ALL, RoomEventFilter.ALL, RoomEventFilter.ALL);

    /** Copies the lists; null sections mean {@link RoomEventFilter#ALL}. */
    public RoomFilter {
        rooms = rooms == null ? null : List.copyOf(rooms);
        notRooms = notRooms == null ? List.of() : List.copyOf(notRooms);
        ephemeral = orAll(ephemeral);
        state = orAll(state);
        timeline = orAll(timeline);
        accountData = orAll(accountData);
    }

    /** True when the room passes the top-level {@code rooms}/{@code not_rooms} (before any section filter). */
    public boolean allowsRoom(String roomId) {
        return Rooms.allows(rooms, notRooms, roomId);
    }

    /** True when no room can pass, so /sync may skip rooms entirely. */
    public boolean blocksAllRooms() {
        return Rooms.blocksAll(rooms, notRooms);
    }

    private static RoomEventFilter orAll(RoomEventFilter f) {
        return f == null ? RoomEventFilter.ALL : f;
    }
}
