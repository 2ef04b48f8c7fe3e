package org.myelin.clientapi.sync.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.MessagesQuery;
import org.myelin.room.api.RoomEvent;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /rooms/{roomId}/initialSync as r0.6.1 described it: the room's latest events and state as the user may read
 * them ({@link ClientRoomApi#messages} and {@link ClientRoomApi#state}: now for a member or, for a world-readable
 * room, anyone; up to their leave for a former member; 403 M_FORBIDDEN otherwise), with the user's membership (left
 * out for someone who never was in the room), the directory visibility and the room's account data.
 */
@Component
public class RoomInitialSync {

    private final ClientRoomApi rooms;
    private final ClientDirectoryApi directory;
    private final StreamPositions positions;
    private final InitialSync initialSync;
    private final RoomSnapshot snapshots;

    public RoomInitialSync(ClientRoomApi rooms, ClientDirectoryApi directory, StreamPositions positions,
            InitialSync initialSync, RoomSnapshot snapshots) {
        this.rooms = rooms;
        this.directory = directory;
        this.positions = positions;
        this.initialSync = initialSync;
        this.snapshots = snapshots;
    }

    Mono<ObjectNode> snapshot(Requester requester, RoomId roomId, int limit) {
        UserId user = UserId.parse(requester.userId());
        return Mono.zip(rooms.state(user, roomId),
                rooms.messages(user, roomId, new MessagesQuery(true, null, null, limit, EventFilter.NONE)),
                directory.isPublished(roomId).onErrorReturn(false), positions.now())
                .flatMap(t -> initialSync.contributions(requester, Set.of(roomId.value()), t.getT4()).map(out -> {
                    List<RoomEvent> timeline = new ArrayList<>(t.getT2().chunk());
                    Collections.reverse(timeline);
                    return snapshots.render(roomId.value(), snapshots.membershipIn(t.getT1(), user.toString()),
                            timeline, t.getT2().end() == null ? null : t.getT2().end().token(), t.getT1(), t.getT3(),
                            out.roomAccountData().getOrDefault(roomId.value(), List.of()), requester);
                }));
    }
}
