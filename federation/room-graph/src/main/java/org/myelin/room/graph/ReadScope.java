package org.myelin.room.graph;

import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.TimelinePosition;

/**
 * How much of a room a user may read before the per-event history visibility rules apply: everything up to now,
 * or everything up to and including one event (for a former member, the event that ended their membership).
 *
 * @param version      the room's version (for redaction and event parsing)
 * @param until        the last readable position, or null for no limit
 * @param stateGroup   the state at {@code until}, or null for the current state
 * @param joined       whether the user is joined now
 * @param lastJoin     the position of the user's latest join, or null if they never joined
 * @param stateVisible whether the user may read the room's state and members (joined, former joined members,
 *                     anyone in a world-readable room); invitees read events only
 */
record ReadScope(RoomVersion version, TimelinePosition until, Long stateGroup, boolean joined,
        TimelinePosition lastJoin, boolean stateVisible) {

    boolean isCurrent() {
        return until == null;
    }

    /** The position just after the last readable one, to page up to; null when the scope has no end. */
    TimelinePosition bound() {
        return until == null ? null : new TimelinePosition(until.topological(), until.stream() + 1);
    }

    /** Whether an event at {@code position} is within the scope. */
    boolean covers(TimelinePosition position) {
        return until == null || position.compareTo(until) <= 0;
    }

    /** Whether the user joined the room at some point after an event at {@code position} (rule 3). */
    boolean joinedAfter(TimelinePosition position) {
        return joined || lastJoin != null && lastJoin.compareTo(position) > 0;
    }
}
