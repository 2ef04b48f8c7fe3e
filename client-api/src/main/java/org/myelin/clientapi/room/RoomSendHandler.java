package org.myelin.clientapi.room;

import java.util.Map;

import org.myelin.room.graph.GuestRooms;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.StateContent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sending events and reading/writing state: PUT /rooms/{roomId}/send/{eventType}/{txnId}, PUT and GET
 * /rooms/{roomId}/state/{eventType}/{stateKey} (the state key may be empty or left out), GET /rooms/{roomId}/state
 * (https://spec.matrix.org/v1.19/client-server-api/#sending-events-to-a-room).
 */
@Component
public class RoomSendHandler {

    private final JsonBodies bodies;
    private final ClientRoomApi rooms;
    private final ClientEvents clientEvents;
    private final GuestRooms guestRooms;

    public RoomSendHandler(JsonBodies bodies, ClientRoomApi rooms, ClientEvents clientEvents,
            GuestRooms guestRooms) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.clientEvents = clientEvents;
        this.guestRooms = guestRooms;
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId} */
    public Mono<ServerResponse> send(ServerRequest request, Requester requester) {
        return send(request, requester, request.pathVariable("txnId"));
    }

    /**
     * POST /_matrix/client/v3/rooms/{roomId}/send/{eventType}: NOTSPEC, the r0 form without a transaction ID that
     * Synapse still serves (under r0 and v3); each request sends a new event.
     */
    public Mono<ServerResponse> sendWithoutTxn(ServerRequest request, Requester requester) {
        return send(request, requester, null);
    }

    private Mono<ServerResponse> send(ServerRequest request, Requester requester, String txnId) {
        var roomId = RoomIds.room(request);
        String type = request.pathVariable("eventType");
        return bodies.object(request)
                .flatMap(content -> rooms.send(RoomIds.user(requester), requester.deviceId(), roomId, type,
                        (ObjectNode) content, txnId))
                .flatMap(RoomSendHandler::eventIdResponse);
    }

    /**
     * PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}; a guest_access change that shuts guests
     * out makes the local guests leave (see {@link GuestRooms}).
     */
    public Mono<ServerResponse> putState(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        StateKeyPath path = StateKeyPath.of(request);
        return bodies.object(request)
                .flatMap(content -> rooms.sendState(RoomIds.user(requester), requester.deviceId(), roomId,
                        new StateContent(path.type(), path.stateKey(), (ObjectNode) content)))
                .flatMap(eventId -> guestRooms.afterStateChange(roomId, path.type()).thenReturn(eventId))
                .flatMap(RoomSendHandler::eventIdResponse);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}; {@code format=event} for the event. */
    public Mono<ServerResponse> getStateEvent(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        StateKeyPath path = StateKeyPath.of(request);
        boolean wholeEvent = request.queryParam("format").filter("event"::equals).isPresent();
        return rooms.stateEvent(RoomIds.user(requester), roomId, path.type(), path.stateKey())
                .flatMap(event -> Responses.ok(wholeEvent ? clientEvents.format(event, requester)
                        : clientEvents.content(event)));
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/state */
    public Mono<ServerResponse> getState(ServerRequest request, Requester requester) {
        return rooms.state(RoomIds.user(requester), RoomIds.room(request))
                .flatMap(events -> Responses.ok(clientEvents.format(events, requester)));
    }

    private static Mono<ServerResponse> eventIdResponse(EventId eventId) {
        return Responses.ok(Map.of("event_id", eventId.value()));
    }

    /** The event type and state key of a state path; a missing {stateKey} is the empty state key. */
    private record StateKeyPath(String type, String stateKey) {

        static StateKeyPath of(ServerRequest request) {
            return new StateKeyPath(request.pathVariable("eventType"),
                    request.pathVariables().getOrDefault("stateKey", ""));
        }
    }
}
