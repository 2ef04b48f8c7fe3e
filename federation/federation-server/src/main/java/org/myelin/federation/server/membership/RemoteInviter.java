package org.myelin.federation.server.membership;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RoomRow;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends an invite of another server's user to that server ({@code PUT /_matrix/federation/v2/invite}), with the
 * room's preview state ({@link RoomPreview}: create, join rules, name, avatar, canonical alias, encryption), before
 * the invite is sent to the room's other servers. A refusal is {@code 403 M_FORBIDDEN} for the inviter.
 */
public final class RemoteInviter implements RemoteInvites {

    private final RoomStore store;
    private final FederationClient client;
    private final RoomPreview preview;

    public RemoteInviter(RoomStore store, FederationClient client) {
        this.store = store;
        this.client = client;
        this.preview = new RoomPreview(store);
    }

    @Override
    public Mono<Void> deliver(RoomId roomId, EventId invite) {
        return store.rooms().find(roomId.value()).zipWith(store.events().find(invite.value()))
                .flatMap(found -> {
                    RoomRow room = found.getT1();
                    EventRow event = found.getT2();
                    RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
                    return preview.pdus(roomId.value(), version).flatMap(state -> {
                        ObjectNode body = JsonNodeFactory.instance.objectNode().put("room_version", version.id());
                        body.set("event", CanonicalJson.parse(event.json(), CanonicalJson.Mode.of(version)));
                        body.set("invite_room_state", state);
                        UserId invitee = UserId.parse(event.stateKey());
                        return client.send(invitee.server(), "PUT", "/_matrix/federation/v2/invite/"
                                + FederationClient.segment(roomId.value()) + "/"
                                + FederationClient.segment(invite.value()), body);
                    });
                })
                .onErrorMap(RemoteServerException.class, e -> MatrixException.forbidden(
                        "The invited user's server did not accept the invite: " + e.getMessage()))
                .then();
    }
}
