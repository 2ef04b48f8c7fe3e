package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;

/**
 * Where a room alias points.
 *
 * @param servers servers aware of the room that a client may try to join through, this server first
 */
public record AliasTarget(RoomId roomId, List<ServerName> servers) {

    public AliasTarget {
        servers = List.copyOf(servers);
    }
}
