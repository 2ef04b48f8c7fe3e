package org.myelin.room.api;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.id.UserId;

import reactor.core.publisher.Mono;

/**
 * The room part of simplified sliding sync (MSC4186): a user's room list with what lists sort and filter by, which
 * rooms changed in a window, the children of spaces, and per room the timeline, selected state and summary. Rooms
 * joined over federation are read like local ones; invites of other servers come with their stripped state.
 */
public interface ClientSlidingSyncApi {

    /** Every membership of the user that is not forgotten, as of {@code upTo}, with its room's bump stamp and type. */
    Mono<List<SlidingRoomListing>> rooms(UserId user, long upTo);

    /** Those of {@code roomIds} with events in {@code (since, upTo]}. */
    Mono<Set<String>> roomsWithEvents(Collection<String> roomIds, long since, long upTo);

    /** The rooms the spaces' current state names as children ({@code m.space.child} with a {@code via}). */
    Mono<Set<String>> spaceChildren(Collection<String> spaceIds);

    /**
     * The state entries that changed in {@code (since, upTo]} (up to the leave for a room the user left): the keys
     * of the window's state events, or of the whole difference when state resolution changed the state.
     */
    Mono<Set<StateSelection.Key>> changedState(SyncMembership membership, long since, long upTo);

    /**
     * Timeline, state and summary of each joined or left room (of a room the server does not have: the leave), in
     * the order of {@code reads} (one per room); the rooms are read together, each as it would be alone.
     */
    Mono<List<SlidingRoomData>> roomData(UserId user, List<SlidingRoomRead> reads);
}
