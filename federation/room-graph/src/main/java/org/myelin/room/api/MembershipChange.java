package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

/**
 * A membership event a local user sends: join, leave (also kick), invite, ban, unban (a leave by another user)
 * or knock.
 *
 * @param sender     who sends the event
 * @param target     whose membership changes (the sender for join, leave and knock)
 * @param reason     the optional reason, or null
 * @param isDirect   for invites: mark the room as a direct chat
 * @param via        servers to join a room this server is not in through ({@code via} / {@code server_name})
 */
public record MembershipChange(RoomId roomId, UserId sender, UserId target, Membership membership, String reason,
        boolean isDirect, List<ServerName> via) {

    public MembershipChange {
        via = List.copyOf(via);
    }

    /** A change that needs no other server. */
    public MembershipChange(RoomId roomId, UserId sender, UserId target, Membership membership, String reason,
            boolean isDirect) {
        this(roomId, sender, target, membership, reason, isDirect, List.of());
    }
}
