package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * Spaces and room previews for the Client-Server API: the space hierarchy
 * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidhierarchy) and the room summary
 * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1room_summaryroomidoralias). Rooms this server
 * is not in are asked of other servers ({@link RemoteHierarchies}). A room is shown only to someone who may preview
 * it: joined or invited, a public or knockable room, world-readable history, or a restricted room whose allowed
 * rooms they are in.
 */
public interface ClientSpaceApi {

    /**
     * A page of the space tree below {@code root}, depth first in the spec's order of children. 403 M_FORBIDDEN when
     * the user may not preview the root (or it is unknown); 400 M_INVALID_PARAM for a {@code from} token this server
     * did not hand out to this user for this root, or whose {@code suggested_only} or {@code max_depth} differ.
     */
    Mono<HierarchyPage> hierarchy(UserId user, RoomId root, HierarchyQuery query);

    /**
     * The summary of a room, with the user's membership ({@code leave} when they have none). 404 M_NOT_FOUND when the
     * room is unknown here and to the {@code via} servers, or the user may not preview it.
     *
     * @param user the requester, or null for an unauthenticated request: only rooms this server is in that anyone
     *             may preview (no other server is asked on behalf of someone unknown)
     */
    Mono<RoomPreview> summary(UserId user, RoomId roomId, List<ServerName> via);
}
