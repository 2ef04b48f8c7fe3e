package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * Joining, or knocking on, a room this server is not in, through a server that is (implemented by the server-server
 * API).
 */
@FunctionalInterface
public interface RemoteJoins {

    /** Without federation: such a room is unknown. */
    RemoteJoins NONE = (user, roomId, via) -> Mono.error(MatrixException.notFound("Unknown room " + roomId));

    /**
     * Joins {@code user} to {@code roomId} through the first of {@code via} (then the room ID's server, if it has
     * one) that lets them; the ID of the join event.
     */
    Mono<EventId> join(UserId user, RoomId roomId, List<ServerName> via);

    /**
     * Knocks on {@code roomId} for {@code user} through the first of {@code via} (then the room ID's server) that
     * takes it; the ID of the knock event. Without federation such a room is unknown.
     */
    default Mono<EventId> knock(UserId user, RoomId roomId, List<ServerName> via, String reason) {
        return Mono.error(MatrixException.notFound("Unknown room " + roomId));
    }

    /**
     * Joins {@code user} to a restricted room this server holds but cannot authorise the join in (no member here may
     * invite, or this server is in none of the allowed rooms), through another server in the room (the {@code via}
     * servers first) whose member authorises it; the ID of the join event. Empty when there is no other server to
     * ask, as without federation.
     */
    default Mono<EventId> joinAuthorisedElsewhere(UserId user, RoomId roomId, List<ServerName> via) {
        return Mono.empty();
    }
}
