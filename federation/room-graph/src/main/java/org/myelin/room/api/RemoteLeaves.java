package org.myelin.room.api;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/** Rejecting an invite to a room this server is not in, through the inviter's server (server-server API). */
@FunctionalInterface
public interface RemoteLeaves {

    /** Without federation: such a room is unknown. */
    RemoteLeaves NONE = (user, roomId) -> Mono.error(MatrixException.notFound("Unknown room " + roomId));

    /** Leaves (rejects the invite to) {@code roomId}; the ID of the leave event. 404 without a pending invite. */
    Mono<EventId> leave(UserId user, RoomId roomId);
}
