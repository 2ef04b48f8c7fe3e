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
 */
public record SyncRequest(Requester requester, Filter filter, Set<String> joinedRoomIds, boolean fullState) {

    public SyncRequest {
        joinedRoomIds = Set.copyOf(joinedRoomIds);
    }

    public String userId() {
        return requester.userId();
    }

    public String deviceId() {
        return requester.deviceId();
    }
}
