package org.myelin.clientapi.room;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.myelin.room.api.ClientRoomReadApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Redacting events: PUT /rooms/{roomId}/redact/{eventId}/{txnId}
 * (https://spec.matrix.org/v1.19/client-server-api/#redactions).
 */
@Component
public class RedactionHandler {

    private final JsonBodies bodies;
    private final ClientRoomReadApi rooms;

    public RedactionHandler(JsonBodies bodies, ClientRoomReadApi rooms) {
        this.bodies = bodies;
        this.rooms = rooms;
    }

    /** PUT /_matrix/client/v3/rooms/{roomId}/redact/{eventId}/{txnId}; a malformed event ID is 404. */
    public Mono<ServerResponse> redact(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        EventId eventId = eventId(request);
        String txnId = request.pathVariable("txnId");
        return bodies.optionalObject(request)
                .flatMap(body -> rooms.redact(RoomIds.user(requester), requester.deviceId(), roomId, eventId,
                        JsonFields.optionalString(body, "reason", TextLimits.REASON), txnId))
                .flatMap(id -> Responses.ok(Map.of("event_id", id.value())));
    }

    /** The event ID path variable; a malformed one is 404 M_NOT_FOUND like an unknown one. */
    public static EventId eventId(ServerRequest request) {
        try {
            return EventId.parse(request.pathVariable("eventId"));
        } catch (MatrixException malformed) {
            throw MatrixException.notFound("Event not found");
        }
    }
}
