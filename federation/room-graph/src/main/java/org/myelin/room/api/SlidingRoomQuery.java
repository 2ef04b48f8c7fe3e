package org.myelin.room.api;

import java.util.Set;

/**
 * What one sliding sync response needs of a joined or left room.
 *
 * @param since             the timeline's lower bound (exclusive); 0 for the latest events whatever their age
 * @param upTo              the response's events position (inclusive); a left room ends at the leave
 * @param timelineLimit     the most timeline events (0: no timeline)
 * @param state             the state entries to read (current state, or the state at the leave)
 * @param lazyMembersKnown  with lazy loading, the members the client was already sent, not read again
 * @param memberChanges     with lazy loading, the members whose membership changed since the client's position:
 *                          read too when the timeline is not limited, so a client keeping the member list stays
 *                          current (a limited timeline tells it to drop what it kept)
 * @param summary           read the member counts and the heroes (with their member events)
 */
public record SlidingRoomQuery(long since, long upTo, int timelineLimit, StateSelection state,
        Set<String> lazyMembersKnown, Set<String> memberChanges, boolean summary) {

    public SlidingRoomQuery {
        lazyMembersKnown = Set.copyOf(lazyMembersKnown);
        memberChanges = Set.copyOf(memberChanges);
    }
}
