package org.myelin.room.api;

/** What to read of one room of a sliding sync window: the room as the list has it, and the read. */
public record SlidingRoomRead(SlidingRoomListing room, SlidingRoomQuery query) {
}
