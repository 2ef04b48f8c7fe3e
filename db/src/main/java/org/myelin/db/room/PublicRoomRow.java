package org.myelin.db.room;

/**
 * A published room as the directory lists it, from the room's current state. Fields whose state event is missing
 * (or holds a value of the wrong JSON type) are null.
 *
 * @param joinedMembers     how many users are joined
 * @param historyVisibility m.room.history_visibility's value
 * @param guestAccess       m.room.guest_access's value
 * @param roomType          the {@code type} of m.room.create
 * @param total             how many published rooms match the query, whatever the page
 */
public record PublicRoomRow(String roomId, long joinedMembers, String name, String topic, String canonicalAlias,
        String avatarUrl, String joinRule, String historyVisibility, String guestAccess, String roomType,
        long total) {
}
