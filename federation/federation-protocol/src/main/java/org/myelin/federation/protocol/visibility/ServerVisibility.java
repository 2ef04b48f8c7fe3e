package org.myelin.federation.protocol.visibility;

import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

/**
 * Whether another server may read an event (server-server API: a server sees what its users in the room may see):
 * {@code world_readable} and {@code shared} history is visible to any server; {@code invited} history to a server
 * with a user invited or joined at the event; {@code joined} history to a server with a user joined at the event.
 */
public final class ServerVisibility {

    private ServerVisibility() {
    }

    /** @param stateBefore the history visibility and memberships in the state before the event */
    public static boolean canSee(ServerName server, VisibilityState stateBefore) {
        return switch (stateBefore.historyVisibility()) {
            case WORLD_READABLE, SHARED -> true;
            case INVITED -> stateBefore.memberships().entrySet().stream().anyMatch(e -> ofServer(e.getKey(), server)
                    && (e.getValue() == Membership.JOIN || e.getValue() == Membership.INVITE));
            case JOINED -> stateBefore.memberships().entrySet().stream().anyMatch(e -> ofServer(e.getKey(), server)
                    && e.getValue() == Membership.JOIN);
        };
    }

    private static boolean ofServer(String userId, ServerName server) {
        try {
            return UserId.parse(userId).server().equals(server);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
