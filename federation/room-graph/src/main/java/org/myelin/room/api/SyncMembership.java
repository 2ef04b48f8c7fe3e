package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

/**
 * A user's latest membership in a room, as /sync sorts rooms into join, invite, knock and leave.
 *
 * @param membership     join, invite, knock, leave or ban
 * @param eventId        the m.room.member event that set it
 * @param streamOrdering that event's stream position
 */
public record SyncMembership(RoomId roomId, String membership, EventId eventId, long streamOrdering) {

    /** Whether the user is no longer in the room (left, was kicked or banned). */
    public boolean isLeave() {
        return "leave".equals(membership) || "ban".equals(membership);
    }
}
