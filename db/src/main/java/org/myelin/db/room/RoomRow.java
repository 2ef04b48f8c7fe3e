package org.myelin.db.room;

/** One row of {@code rooms}. */
public record RoomRow(String roomId, String roomVersion, String creator, boolean isPublic, long createdTs) {
}
