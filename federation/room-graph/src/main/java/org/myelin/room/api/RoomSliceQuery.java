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
 */
public record RoomSliceQuery(long since, long upTo, int limit, EventFilter timeline, boolean lazyLoadMembers,
        boolean fullState, Set<String> ignored) {

    public RoomSliceQuery {
        ignored = Set.copyOf(ignored);
    }
}
