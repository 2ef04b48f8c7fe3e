package org.myelin.federation.server.transaction;

import org.myelin.federation.protocol.acl.ServerAcl;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Whether a server may act in a room under the room's current {@code m.room.server_acl} (none: any server may). */
final class RoomAcls {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RoomStore store;

    RoomAcls(RoomStore store) {
        this.store = store;
    }

    Mono<Boolean> allows(String roomId, ServerName server) {
        return store.currentState().event(roomId, "m.room.server_acl", "")
                .map(row -> ServerAcl.fromContent(JSON.readTree(row.json()).path("content")).allows(server))
                .defaultIfEmpty(true);
    }
}
