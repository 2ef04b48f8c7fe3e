package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;

import reactor.core.publisher.Mono;

/**
 * History of a room from before what this server holds, asked of other servers in the room (backfill; implemented
 * by the server-server API).
 */
public interface RemoteHistory {

    /** Without federation every room's history is here already. */
    RemoteHistory NONE = new RemoteHistory() {
        @Override
        public Mono<Boolean> fetchEarlier(RoomId roomId) {
            return Mono.just(false);
        }

        @Override
        public Mono<EventId> closestEvent(RoomId roomId, long ts, boolean forwards) {
            return Mono.empty();
        }
    };

    /**
     * Fetches and stores events from before the room's earliest stored ones, if another server in the room has
     * them; true when at least one new event was stored. Never fails: a server that cannot help is skipped.
     */
    Mono<Boolean> fetchEarlier(RoomId roomId);

    /**
     * When this server lacks part of the room's history: the event another server in the room finds closest to
     * {@code ts} in the direction asked ({@code /timestamp_to_event}), stored here if it was not. Empty when the
     * history is all here or no server answers; never fails.
     */
    Mono<EventId> closestEvent(RoomId roomId, long ts, boolean forwards);
}
