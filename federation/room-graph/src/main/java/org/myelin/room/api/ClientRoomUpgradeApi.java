package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Mono;

/** Room upgrades (POST /rooms/{roomId}/upgrade) as the spec's "Server behaviour" for room upgrades describes. */
public interface ClientRoomUpgradeApi {

    /**
     * Replaces the room with a new one of {@code version}: 403 M_FORBIDDEN when the user may not send
     * m.room.tombstone in it (or is not joined, or the room is unknown). As in Synapse, an already replaced room
     * may be upgraded again; the later tombstone wins.
     *
     * @param additionalCreators extra creators of the new room when its version has privileged creators
     * @return the ID of the new room
     */
    Mono<RoomId> upgrade(UserId user, RoomId roomId, RoomVersion version, List<UserId> additionalCreators);
}
