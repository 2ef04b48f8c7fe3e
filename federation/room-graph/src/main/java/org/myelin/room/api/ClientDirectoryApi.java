package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * What the Client-Server API may do with room aliases and the published room directory. Only this server's
 * aliases and directory exist until federation does: a remote alias or server is 404 M_NOT_FOUND. Failures are
 * {@code MatrixException}s ready for the client.
 */
public interface ClientDirectoryApi {

    /**
     * Points a local alias at a room the user is joined to: 400 M_INVALID_PARAM for another server's alias,
     * 403 M_FORBIDDEN when the user is not joined, 409 M_UNKNOWN when the alias is taken.
     */
    Mono<Void> createAlias(UserId user, RoomAlias alias, RoomId roomId);

    /** The room an alias points at and servers that can help join it; 404 M_NOT_FOUND when unknown. */
    Mono<AliasTarget> resolveAlias(RoomAlias alias);

    /**
     * Deletes a local alias: allowed to its creator and to members who may send m.room.canonical_alias
     * (403 M_FORBIDDEN otherwise); 404 M_NOT_FOUND when unknown. The alias is also taken out of the room's
     * m.room.canonical_alias event when the user may change it.
     */
    Mono<Void> deleteAlias(UserId user, RoomAlias alias);

    /** The local aliases of a room the user is joined to or whose history is world-readable (else 403). */
    Mono<List<RoomAlias>> localAliases(UserId user, RoomId roomId);

    /** Whether the room is listed in the directory; 404 M_NOT_FOUND when the room is unknown. */
    Mono<Boolean> isPublished(RoomId roomId);

    /**
     * Lists or unlists a room: allowed to members who may send m.room.canonical_alias (403 M_FORBIDDEN
     * otherwise); 404 M_NOT_FOUND when the room is unknown.
     */
    Mono<Void> setPublished(UserId user, RoomId roomId, boolean published);

    /** A page of the directory; 400 M_INVALID_PARAM for a token this server did not hand out. */
    Mono<PublicRoomsPage> publicRooms(PublicRoomsRequest request);
}
