package org.myelin.room.graph;

import java.util.Set;

import org.myelin.db.room.EventRow;
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
 * @param ignored      the users the reader ignores (m.ignored_user_list): their events other than state events
 *                     are hidden from every read
 */
record ReadScope(RoomVersion version, TimelinePosition until, Long stateGroup, boolean joined,
        TimelinePosition lastJoin, boolean stateVisible, Set<String> ignored) {

    ReadScope {
        ignored = Set.copyOf(ignored);
    }

    boolean isCurrent() {
        return until == null;
    }

    /** Whether an event at {@code position} is within the scope. */
    boolean covers(TimelinePosition position) {
        return until == null || position.compareTo(until) <= 0;
    }

    /** Whether the event is one the reader ignores: not a state event, sent by an ignored user. */
    boolean hides(EventRow row) {
        return row.stateKey() == null && ignored.contains(row.sender());
    }

    /** Whether the user joined the room at some point after an event at {@code position} (rule 3). */
    boolean joinedAfter(TimelinePosition position) {
        return joined || lastJoin != null && lastJoin.compareTo(position) > 0;
    }
}
