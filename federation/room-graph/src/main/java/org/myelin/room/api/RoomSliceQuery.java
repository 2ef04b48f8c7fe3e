package org.myelin.room.api;

/**
 * What of a room one /sync needs.
 *
 * @param since           the client's events position (exclusive); 0 for an initial sync
 * @param upTo            the response's events position (inclusive)
 * @param limit           the most timeline events
 * @param timeline        the timeline filter's types and senders
 * @param lazyLoadMembers return only the member events of the timeline's senders (and the user's own) as state
 * @param fullState       return the full state at the start of the timeline, whatever the client had
 */
public record RoomSliceQuery(long since, long upTo, int limit, EventFilter timeline, boolean lazyLoadMembers,
        boolean fullState) {
}
