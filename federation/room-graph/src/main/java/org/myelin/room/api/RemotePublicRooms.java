package org.myelin.room.api;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;

/** Another server's published room directory, asked of that server (implemented by the server-server API). */
@FunctionalInterface
public interface RemotePublicRooms {

    /** Without federation: other servers' directories cannot be listed. */
    RemotePublicRooms NONE = (server, request) -> Mono.error(MatrixException.notFound(
            "Listing " + server + "'s rooms needs federation, which is off on this server"));

    /** One page of {@code server}'s directory; its tokens are that server's. */
    Mono<PublicRoomsPage> list(ServerName server, PublicRoomsRequest request);
}
