package org.myelin.federation.server.presence;

import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.server.transaction.InboundEduHandler;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Received {@code m.presence} EDUs: each {@code push} entry is stored for a user of the origin server who is joined
 * to a room this server holds (so only users someone here shares a room with); others are dropped.
 */
public final class PresenceEdus implements InboundEduHandler {

    private final RoomStore store;
    private final PresenceService presence;

    public PresenceEdus(RoomStore store, PresenceService presence) {
        this.store = store;
        this.presence = presence;
    }

    @Override
    public String eduType() {
        return "m.presence";
    }

    @Override
    public Mono<Void> apply(ServerName origin, JsonNode content) {
        return Flux.fromIterable(content.path("push")).concatMap(entry -> {
            String userId = entry.path("user_id").stringValue(null);
            if (userId == null || !ofServer(userId, origin)) {
                return Mono.empty();
            }
            String statusMsg = entry.path("status_msg").isString() ? entry.path("status_msg").stringValue() : null;
            return store.memberships().roomsOf(userId, "join").filter(rooms -> !rooms.isEmpty())
                    .flatMap(rooms -> presence.setRemote(userId, entry.path("presence").stringValue(null), statusMsg,
                            entry.path("last_active_ago").asLong(0)));
        }).then();
    }

    private static boolean ofServer(String userId, ServerName server) {
        try {
            return UserId.parse(userId).server().equals(server);
        } catch (MatrixException e) {
            return false;
        }
    }
}
