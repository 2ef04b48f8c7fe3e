package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

import reactor.core.publisher.Mono;

/** Handing an invite of another server's user to that server (implemented by the server-server API). */
@FunctionalInterface
public interface RemoteInvites {

    /** Without federation: the invite stays on this server. */
    RemoteInvites NONE = (roomId, invite) -> Mono.empty();

    /**
     * Sends the stored invite event {@code invite} to the invitee's server, which countersigns it; fails with
     * {@code 403 M_FORBIDDEN} when that server refuses it.
     */
    Mono<Void> deliver(RoomId roomId, EventId invite);
}
