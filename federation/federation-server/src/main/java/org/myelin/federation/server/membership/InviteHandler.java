package org.myelin.federation.server.membership;

import java.util.Map;

import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.http.Responses;
import org.myelin.room.graph.MissingEventsException;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PUT /_matrix/federation/v2/invite/{roomId}/{eventId}} (and v1): another server invites one of this server's
 * users. The invite must be an {@code m.room.member} invite for a local user sent by a user of the requesting
 * server, signed by it; this server countersigns it. In a room this server is in, it is accepted like any PDU;
 * otherwise it is kept with the stripped state the inviter sent, and the user sees it in /sync.
 */
final class InviteHandler {

    private final ServerName self;
    private final RoomStore store;
    private final RoomEventService events;
    private final PduChecks checks;
    private final EventSigning signing;
    private final OutsideMemberships outside;

    InviteHandler(ServerName self, RoomStore store, RoomEventService events, PduChecks checks, EventSigning signing) {
        this.self = self;
        this.store = store;
        this.events = events;
        this.checks = checks;
        this.signing = signing;
        this.outside = new OutsideMemberships(store);
    }

    Mono<ServerResponse> inviteV2(ServerRequest request, SignedRequest signed) {
        JsonNode body = signed.body().orElseThrow(() -> MatrixException.badJson("An invite needs a body"));
        RoomVersion version = RoomVersions.find(body.path("room_version").stringValue(""))
                .orElseThrow(() -> new MatrixException(ErrCode.M_INCOMPATIBLE_ROOM_VERSION, 400,
                        "This server does not support the room's version", Map.of("room_version",
                                body.path("room_version").stringValue(""))));
        return invite(request, signed, body.path("event"), version, RoomPreview.stripped(body.path("invite_room_state")))
                .flatMap(event -> Responses.ok(Map.of("event", event)));
    }

    /** v1 carries only the event (rooms v1 and v2 could be joined that way) and answers {@code [200, {...}]}. */
    Mono<ServerResponse> inviteV1(ServerRequest request, SignedRequest signed) {
        JsonNode event = signed.body().orElseThrow(() -> MatrixException.badJson("An invite needs a body"));
        return invite(request, signed, event, RoomVersions.V1,
                RoomPreview.stripped(event.path("unsigned").path("invite_room_state")))
                .flatMap(signedEvent -> {
                    ArrayNode answer = JsonNodeFactory.instance.arrayNode().add(200);
                    answer.addObject().set("event", signedEvent);
                    return Responses.ok(answer);
                });
    }

    private Mono<ObjectNode> invite(ServerRequest request, SignedRequest signed, JsonNode event, RoomVersion version,
                                    ArrayNode stripped) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        Pdu invite = Pdu.of(event, version);
        requireInviteOf(invite, roomId, request.pathVariable("eventId"), signed.origin());
        return checks.verified(invite).flatMap(checked -> {
            Pdu countersigned = signing.countersign(checked, version);
            return store.rooms().find(roomId.value()).hasElement().flatMap(known -> known
                    ? accepted(countersigned)
                    : kept(countersigned, version, stripped))
                    .thenReturn(countersigned.json());
        });
    }

    private void requireInviteOf(Pdu invite, RoomId roomId, String eventId, ServerName origin) {
        boolean isInvite = "m.room.member".equals(invite.type()) && invite.stateKey().isPresent()
                && "invite".equals(invite.content().path("membership").stringValue(""));
        if (!isInvite || !invite.roomId().equals(roomId) || !invite.eventId().value().equals(eventId)) {
            throw MatrixException.badJson("The event is not an invite into this room under this ID");
        }
        if (!UserId.parse(invite.stateKey().get()).server().equals(self)) {
            throw MatrixException.forbidden("The invited user is not a user of this server");
        }
        if (!invite.sender().server().equals(origin)) {
            throw MatrixException.forbidden("The inviter must belong to the requesting server");
        }
    }

    private Mono<Void> accepted(Pdu invite) {
        return events.accept(invite, false)
                .onErrorMap(MissingEventsException.class, e -> MatrixException.forbidden(
                        "The invite refers to events this server does not have"))
                .flatMap(outcome -> outcome == Outcome.ACCEPTED ? Mono.<Void>empty()
                        : Mono.error(MatrixException.forbidden("The invite is not allowed (" + outcome + ")")));
    }

    private Mono<Void> kept(Pdu invite, RoomVersion version, ArrayNode stripped) {
        return outside.keep(invite, version, stripped, "invite");
    }
}
