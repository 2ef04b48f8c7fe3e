package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * The room part of /sync: the events stream's position, the rooms with news for a user between two positions,
 * and per room the timeline slice, the state delta and the summary. Work is proportional to what changed: the
 * rooms come from one query over the events in the window, and a room's state is only read when its timeline
 * does not already cover everything since the client's position.
 */
public interface ClientSyncApi {

    /** The events stream's current position (the highest stream ordering stored). */
    Mono<Long> position();

    /**
     * The user's memberships in the rooms that have something for them in {@code (since, upTo]}; with
     * {@code since == 0} (initial sync) every membership that is not forgotten.
     */
    Mono<List<SyncMembership>> memberships(UserId user, long since, long upTo);

    /** Timeline, state and summary of a joined or left room, as the user may see them. */
    Mono<RoomSlice> roomSlice(UserId user, SyncMembership membership, RoomSliceQuery query);

    /**
     * The events invite_state or knock_state are made from: the room's create, join rules, name, avatar,
     * canonical alias and encryption events, then the user's membership event.
     */
    Mono<List<RoomEvent>> strippedStateEvents(SyncMembership membership);
}
