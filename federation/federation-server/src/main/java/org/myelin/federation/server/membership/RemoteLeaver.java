package org.myelin.federation.server.membership;

import java.time.Clock;
import java.util.List;

import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RemoteInviteRepository.RemoteInvite;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.RemoteLeaves;
import org.myelin.room.graph.RoomStore;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rejects an invite to, or withdraws a knock on, a room this server is not in: {@code make_leave} to the inviter's
 * server (for a knock, the room's), the template signed as this server's, {@code send_leave} (v2). The leave then
 * replaces the invite or knock in {@code remote_invites} at a new stream position, so /sync moves the room to
 * {@code leave}.
 */
public final class RemoteLeaver implements RemoteLeaves {

    private final ServerName self;
    private final RoomStore store;
    private final FederationClient client;
    private final EventSigning signing;
    private final Clock clock;

    public RemoteLeaver(ServerName self, RoomStore store, FederationClient client, EventSigning signing, Clock clock) {
        this.self = self;
        this.store = store;
        this.client = client;
        this.signing = signing;
        this.clock = clock;
    }

    @Override
    public Mono<EventId> leave(UserId user, RoomId roomId) {
        return store.remoteInvites().find(roomId.value(), user.toString())
                .flatMap(found -> found.map(invite -> reject(user, roomId, invite))
                        .orElseGet(() -> Mono.error(MatrixException.notFound("Unknown room " + roomId))))
                .onErrorMap(RemoteServerException.class, e -> MatrixException.forbidden(
                        "The inviting server did not take the rejection: " + e.getMessage()));
    }

    private Mono<EventId> reject(UserId user, RoomId roomId, RemoteInvite invite) {
        RoomVersion version = RoomVersions.find(invite.roomVersion()).orElseThrow();
        ServerName inviter = resident(invite);
        String room = FederationClient.segment(roomId.value());
        return client.get(inviter, "/_matrix/federation/v1/make_leave/" + room + "/"
                        + FederationClient.segment(user.toString()))
                .flatMap(answer -> {
                    Pdu leave = signedLeave(answer.path("event"), version, user, roomId);
                    return client.send(inviter, "PUT", "/_matrix/federation/v2/send_leave/" + room + "/"
                                    + FederationClient.segment(leave.eventId().value()), leave.json())
                            .then(recordLeave(user, roomId, invite, leave));
                });
    }

    /**
     * The server to leave through: the inviter's; for a knock (sent by the user themself), the server of whoever
     * set the room's join rules, else of its creator, as the preview state says.
     */
    private ServerName resident(RemoteInvite invite) {
        ServerName sender = senderServer(CanonicalJson.parse(invite.eventJson(), CanonicalJson.Mode.LENIENT));
        if (!sender.equals(self)) {
            return sender;
        }
        JsonNode preview = CanonicalJson.parse(invite.strippedState(), CanonicalJson.Mode.LENIENT);
        for (String type : List.of("m.room.join_rules", "m.room.create")) {
            for (JsonNode event : preview) {
                if (type.equals(event.path("type").stringValue(""))) {
                    ServerName server = senderServer(event);
                    if (!server.equals(self)) {
                        return server;
                    }
                }
            }
        }
        throw MatrixException.notFound("No server of " + invite.roomId() + " is known to leave it through");
    }

    private static ServerName senderServer(JsonNode event) {
        return UserId.parse(event.path("sender").stringValue("")).server();
    }

    private Pdu signedLeave(JsonNode template, RoomVersion version, UserId user, RoomId roomId) {
        if (!(template instanceof ObjectNode proto) || !user.toString().equals(proto.path("state_key").stringValue(""))
                || !"leave".equals(proto.path("content").path("membership").stringValue(""))) {
            throw MatrixException.badJson("The inviting server's leave template is not a leave of " + user);
        }
        ObjectNode event = proto.deepCopy();
        event.remove(List.of("signatures", "hashes", "unsigned", "event_id"));
        event.put("origin", self.value()).put("origin_server_ts", clock.millis());
        Pdu leave = Pdu.of(signing.sign(event, version).event(), version);
        if (!leave.roomId().equals(roomId)) {
            throw MatrixException.badJson("The inviting server's leave template is for another room");
        }
        return leave;
    }

    private Mono<EventId> recordLeave(UserId user, RoomId roomId, RemoteInvite invite, Pdu leave) {
        return store.db().inTransaction(store.events().nextStreamOrdering().flatMap(stream -> store.remoteInvites()
                .save(new RemoteInvite(roomId.value(), user.toString(), leave.eventId().value(), invite.roomVersion(),
                        leave.canonicalJson(), invite.strippedState(), stream))
                .then(store.memberships().put(new MembershipRow(roomId.value(), user.toString(), "leave",
                        leave.eventId().value(), stream, false)))))
                .thenReturn(leave.eventId());
    }
}
