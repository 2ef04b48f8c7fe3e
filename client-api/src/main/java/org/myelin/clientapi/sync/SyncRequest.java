package org.myelin.clientapi.sync;

import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.filter.Filter;

/**
 * What one /sync call is about, as every {@link SyncStreamSource} needs it.
 *
 * @param requester     the authenticated user and device
 * @param filter        the resolved filter (default, stored or inline)
 * @param joinedRoomIds the rooms the user is joined to at the upper bound of this sync
 * @param fullState     the client asked for {@code full_state=true}
 * @param eventsSince   the room events position this sync reports from (0 for an initial sync)
 * @param eventsUpTo    the room events position it reports up to; streams that depend on memberships (device
 *                      lists) read membership moves in {@code (eventsSince, eventsUpTo]}
 * @param ignored       the users the requester ignores (m.ignored_user_list): their messages, invites and
 *                      to-device messages are left out
 * @param stateSection  whether each room's state is reported up to the start or the end of its timeline
 */
public record SyncRequest(Requester requester, Filter filter, Set<String> joinedRoomIds, boolean fullState,
        long eventsSince, long eventsUpTo, Set<String> ignored, StateSection stateSection) {

    public SyncRequest {
        joinedRoomIds = Set.copyOf(joinedRoomIds);
        ignored = Set.copyOf(ignored);
    }

    /** A request of a user who ignores nobody, with the state up to the start of the timeline. */
    public SyncRequest(Requester requester, Filter filter, Set<String> joinedRoomIds, boolean fullState,
            long eventsSince, long eventsUpTo) {
        this(requester, filter, joinedRoomIds, fullState, eventsSince, eventsUpTo, Set.of(), StateSection.STATE);
    }

    public String userId() {
        return requester.userId();
    }

    public String deviceId() {
        return requester.deviceId();
    }
}
