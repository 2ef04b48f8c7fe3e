package org.myelin.room.api;

import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

import tools.jackson.databind.node.ObjectNode;

/**
 * A membership event a local user sends: join, leave (also kick), invite, ban, unban (a leave by another user)
 * or knock.
 *
 * @param sender       who sends the event
 * @param target       whose membership changes (the sender for join, leave and knock)
 * @param reason       the optional reason, or null
 * @param isDirect     for invites: mark the room as a direct chat
 * @param via          servers to join a room this server is not in through ({@code via} / {@code server_name})
 * @param extraContent further content keys the client sent to keep in the event (a join's custom content), or null
 * @param expected     what the target's current membership must be for the change, or null for anything
 */
public record MembershipChange(RoomId roomId, UserId sender, UserId target, Membership membership, String reason,
        boolean isDirect, List<ServerName> via, ObjectNode extraContent, Expected expected) {

    /**
     * A required current membership of the target, and the error when it is something else.
     *
     * @param memberships the memberships allowed ("leave" stands for no membership at all as well)
     */
    public record Expected(Set<String> memberships, ErrCode errCode, int status, String message) {

        public Expected {
            memberships = Set.copyOf(memberships);
        }
    }

    /** A kick: refused unless the target is joined, invited or knocking (Synapse's 403, the auth rules allow it). */
    public static final Expected IN_ROOM = new Expected(Set.of("join", "invite", "knock"), ErrCode.M_FORBIDDEN, 403,
            "The target user is not in the room");
    /** An unban: refused unless the target is banned (a leave for anyone else would kick them), as Synapse does. */
    public static final Expected BANNED = new Expected(Set.of("ban"), ErrCode.M_BAD_STATE, 403,
            "Cannot unban a user who is not banned");

    public MembershipChange {
        via = List.copyOf(via);
    }

    /** A change that needs no other server. */
    public MembershipChange(RoomId roomId, UserId sender, UserId target, Membership membership, String reason,
            boolean isDirect) {
        this(roomId, sender, target, membership, reason, isDirect, List.of(), null, null);
    }
}
