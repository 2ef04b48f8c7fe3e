package org.myelin.room.api;

import org.myelin.federation.protocol.id.RoomId;

import reactor.core.publisher.Mono;

/**
 * History of a room from before what this server holds, asked of other servers in the room (backfill; implemented
 * by the server-server API).
 */
@FunctionalInterface
public interface RemoteHistory {

    /** Without federation every room's history is here already. */
    RemoteHistory NONE = roomId -> Mono.just(false);

    /**
     * Fetches and stores events from before the room's earliest stored ones, if another server in the room has
     * them; true when at least one new event was stored. Never fails: a server that cannot help is skipped.
     */
    Mono<Boolean> fetchEarlier(RoomId roomId);
}
