package org.myelin.federation.server.room;

import org.myelin.federation.server.api.TimelinePosition;

/**
 * How much of a room a user may read: everything up to now, or everything up to and including one event (for a
 * former member, the event that ended their membership).
 *
 * @param until      the last visible position, or null for no limit
 * @param stateGroup the state at {@code until}, or null for the current state
 */
record ReadScope(TimelinePosition until, Long stateGroup) {

    static final ReadScope CURRENT = new ReadScope(null, null);

    boolean isCurrent() {
        return until == null;
    }

    /** Whether an event at {@code position} is within the scope. */
    boolean covers(TimelinePosition position) {
        return until == null || position.compareTo(until) <= 0;
    }
}
