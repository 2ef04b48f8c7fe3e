package org.myelin.room.api;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;

import reactor.core.publisher.Mono;

/** Resolving another server's room alias through that server (implemented by the server-server API). */
@FunctionalInterface
public interface RemoteAliases {

    /** Without federation: other servers' aliases are unknown. */
    RemoteAliases NONE = alias -> Mono.error(MatrixException.notFound("Room alias " + alias + " not found"));

    /** The room and the servers in it, as the alias's server answers; 404 {@code M_NOT_FOUND} when it has none. */
    Mono<AliasTarget> resolve(RoomAlias alias);
}
