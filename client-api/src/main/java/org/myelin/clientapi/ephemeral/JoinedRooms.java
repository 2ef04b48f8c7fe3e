package org.myelin.clientapi.ephemeral;

import org.myelin.db.ephemeral.MembershipQueries;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** The membership checks of the ephemeral endpoints, as the errors the spec asks for. */
@Component
public class JoinedRooms {

    private final MembershipQueries queries;

    public JoinedRooms(MembershipQueries queries) {
        this.queries = queries;
    }

    /** Completes when the user is joined to the room; 403 M_FORBIDDEN otherwise. */
    public Mono<Void> requireJoined(String roomId, String userId) {
        return queries.isJoined(roomId, userId).flatMap(joined -> joined ? Mono.<Void>empty()
                : Mono.error(MatrixException.forbidden("You are not joined to this room")));
    }

    /** The underlying queries, for checks that are not errors. */
    public MembershipQueries queries() {
        return queries;
    }

    /** 403 M_FORBIDDEN unless {@code pathUserId} is the requester: these endpoints act only for oneself. */
    public static void requireSelf(String pathUserId, String requesterId, String what) {
        if (!pathUserId.equals(requesterId)) {
            throw MatrixException.forbidden("Cannot " + what + " for other users");
        }
    }
}
