package org.myelin.db.room;

/** One row of {@code room_memberships}: a user's latest membership in a room. */
public record MembershipRow(String roomId, String userId, String membership, String eventId, long streamOrdering,
        boolean forgotten) {
}
