package org.myelin.federation.protocol.filter;

import java.util.List;

/** The {@code rooms} / {@code not_rooms} rule shared by {@link RoomFilter} and {@link RoomEventFilter}. */
final class Rooms {

    private Rooms() {
    }

    /**
     * Room IDs have no wildcard: {@code *} in {@code not_rooms} is honoured only as "every room" (as Synapse). A
     * null room (data outside any room) passes unless the filter names rooms.
     */
    static boolean allows(List<String> rooms, List<String> notRooms, String roomId) {
        if (roomId == null) {
            return rooms == null && !notRooms.contains("*");
        }
        if (notRooms.contains("*") || notRooms.contains(roomId)) {
            return false;
        }
        return rooms == null || rooms.contains(roomId);
    }

    static boolean blocksAll(List<String> rooms, List<String> notRooms) {
        return (rooms != null && rooms.isEmpty()) || notRooms.contains("*");
    }
}
