package org.myelin.clientapi.room;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.myelin.room.api.ClientRoomReadApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Reporting content to the server's administrators
 * (https://spec.matrix.org/v1.19/client-server-api/#reporting-content): POST /rooms/{roomId}/report/{eventId}
 * (the reporter must be joined and see the event, else 404), POST /rooms/{roomId}/report (v1.13; 404 for a room
 * this server does not know) and POST /users/{userId}/report (v1.14; 200 whether or not the user exists, as Synapse
 * answers). Room and user reports need a {@code reason}.
 */
@Component
public class ReportHandler {

    private static final int MIN_SCORE = -100;

    private final JsonBodies bodies;
    private final ClientRoomReadApi rooms;

    public ReportHandler(JsonBodies bodies, ClientRoomReadApi rooms) {
        this.bodies = bodies;
        this.rooms = rooms;
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/report/{eventId} */
    public Mono<ServerResponse> reportEvent(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        EventId eventId = RedactionHandler.eventId(request);
        return bodies.optionalObject(request)
                .flatMap(body -> rooms.report(RoomIds.user(requester), roomId, eventId,
                        JsonFields.optionalString(body, "reason", TextLimits.REASON), score(body)))
                .then(Responses.ok(Map.of()));
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/report */
    public Mono<ServerResponse> reportRoom(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        return bodies.object(request)
                .flatMap(body -> rooms.reportRoom(RoomIds.user(requester), roomId, reason(body)))
                .then(Responses.ok(Map.of()));
    }

    /** POST /_matrix/client/v3/users/{userId}/report */
    public Mono<ServerResponse> reportUser(ServerRequest request, Requester requester) {
        UserId target = UserId.parse(request.pathVariable("userId"));
        return bodies.object(request)
                .flatMap(body -> rooms.reportUser(RoomIds.user(requester), target, reason(body)))
                .then(Responses.ok(Map.of()));
    }

    /** The required reason (it may be blank). */
    private static String reason(JsonNode body) {
        return JsonFields.requiredString(body, "reason", TextLimits.REASON);
    }

    /** The deprecated score of an event report, -100 to 0 (removed from the spec in v1.18, still accepted). */
    private static Integer score(JsonNode body) {
        JsonNode score = body.get("score");
        if (score == null || score.isNull()) {
            return null;
        }
        if (!score.isIntegralNumber()) {
            throw MatrixException.badJson("score must be an integer");
        }
        if (!score.canConvertToInt() || score.intValue() < MIN_SCORE || score.intValue() > 0) {
            throw MatrixException.invalidParam("score must be between -100 and 0");
        }
        return score.intValue();
    }
}
