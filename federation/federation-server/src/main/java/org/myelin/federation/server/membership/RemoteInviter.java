package org.myelin.federation.server.membership;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RoomRow;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.graph.LocalClientSyncApi;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends an invite of another server's user to that server ({@code PUT /_matrix/federation/v2/invite}), with the
 * room's stripped state (create, join rules, name, avatar, canonical alias, encryption), as the spec asks before
 * the invite is sent to the room's other servers. A refusal is {@code 403 M_FORBIDDEN} for the inviter.
 */
public final class RemoteInviter implements RemoteInvites {

    private final RoomStore store;
    private final FederationClient client;

    public RemoteInviter(RoomStore store, FederationClient client) {
        this.store = store;
        this.client = client;
    }

    @Override
    public Mono<Void> deliver(RoomId roomId, EventId invite) {
        return store.rooms().find(roomId.value()).zipWith(store.events().find(invite.value()))
                .zipWith(store.currentState().events(roomId.value(), LocalClientSyncApi.STRIPPED))
                .flatMap(found -> {
                    RoomRow room = found.getT1().getT1();
                    EventRow event = found.getT1().getT2();
                    CanonicalJson.Mode mode = CanonicalJson.Mode.of(
                            RoomVersions.find(room.roomVersion()).orElseThrow());
                    ObjectNode body = JsonNodeFactory.instance.objectNode().put("room_version", room.roomVersion());
                    body.set("event", CanonicalJson.parse(event.json(), mode));
                    ArrayNode stripped = body.putArray("invite_room_state");
                    for (EventRow state : found.getT2()) {
                        var json = CanonicalJson.parse(state.json(), mode);
                        ObjectNode entry = stripped.addObject();
                        entry.set("type", json.path("type"));
                        entry.set("state_key", json.path("state_key"));
                        entry.set("sender", json.path("sender"));
                        entry.set("content", json.path("content"));
                    }
                    UserId invitee = UserId.parse(event.stateKey());
                    return client.send(invitee.server(), "PUT", "/_matrix/federation/v2/invite/"
                            + FederationClient.segment(roomId.value()) + "/" + FederationClient.segment(invite.value()),
                            body);
                })
                .onErrorMap(RemoteServerException.class, e -> MatrixException.forbidden(
                        "The invited user's server did not accept the invite: " + e.getMessage()))
                .then();
    }
}
