package org.myelin.room.api;

import java.util.Set;

/**
 * What of a room one /sync needs.
 *
 * @param since           the client's events position (exclusive); 0 for an initial sync
 * @param upTo            the response's events position (inclusive)
 * @param limit           the most timeline events
 * @param timeline        the timeline filter's types and senders
 * @param lazyLoadMembers return only the member events the timeline, the state and the heroes need (and the
 *                        user's own when the state is full) instead of every member
 * @param fullState       return the full state at the start of the timeline, whatever the client had
 * @param ignored         the users the syncing user ignores: their events other than state events are left out
 * @param stateAfter      take the state at the <b>end</b> of the timeline ({@code use_state_after}): the client
 *                        applies it instead of the timeline's state events
 */
public record RoomSliceQuery(long since, long upTo, int limit, EventFilter timeline, boolean lazyLoadMembers,
        boolean fullState, Set<String> ignored, boolean stateAfter) {

    public RoomSliceQuery {
        ignored = Set.copyOf(ignored);
    }

    /** A query for the state at the start of the timeline. */
    public RoomSliceQuery(long since, long upTo, int limit, EventFilter timeline, boolean lazyLoadMembers,
            boolean fullState, Set<String> ignored) {
        this(since, upTo, limit, timeline, lazyLoadMembers, fullState, ignored, false);
    }
}
