package org.myelin.room.api;

import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.space.RoomSummary;
import org.myelin.federation.protocol.space.SpaceRoom;

/**
 * Another server's answer to {@code GET /_matrix/federation/v1/hierarchy/{roomId}}.
 *
 * @param room         the room asked for, with its children
 * @param children     the summaries of the children that server could give, by room ID
 * @param inaccessible children this server cannot preview or join, which need not be asked about elsewhere
 */
public record RemoteSpace(SpaceRoom room, Map<String, RoomSummary> children, Set<String> inaccessible) {

    public RemoteSpace {
        children = Map.copyOf(children);
        inaccessible = Set.copyOf(inaccessible);
    }
}
