package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;

/** Spaces and rooms this server is not in, asked of other servers (implemented by the server-server API). */
@FunctionalInterface
public interface RemoteHierarchies {

    /** Without federation: other servers' rooms are unknown. */
    RemoteHierarchies NONE = (servers, roomId, suggestedOnly) -> Mono.empty();

    /**
     * The room's hierarchy entry from the first of {@code servers} that answers with one, each asked within a
     * timeout; empty when none does. Failures are not errors: the room is then left out.
     */
    Mono<RemoteSpace> hierarchy(List<ServerName> servers, RoomId roomId, boolean suggestedOnly);
}
