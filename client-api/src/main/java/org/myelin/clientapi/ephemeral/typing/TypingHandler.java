package org.myelin.clientapi.ephemeral.typing;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.JoinedRooms;
import org.myelin.ephemeral.typing.TypingService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Setting one's typing state (https://spec.matrix.org/v1.19/client-server-api/#typing-notifications). */
@Component
public class TypingHandler {

    /** Used when the client gives no timeout. */
    static final long DEFAULT_TIMEOUT_MS = 30_000;

    private final JsonBodies bodies;
    private final JoinedRooms rooms;
    private final TypingService typing;

    public TypingHandler(JsonBodies bodies, JoinedRooms rooms, TypingService typing) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.typing = typing;
    }

    /**
     * PUT /_matrix/client/v3/rooms/{roomId}/typing/{userId}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3roomsroomidtypinguserid). Only for
     * oneself and only in a joined room (403 M_FORBIDDEN otherwise).
     */
    public Mono<ServerResponse> setTyping(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "set typing state");
        return bodies.object(request).flatMap(body -> {
            boolean isTyping = typingField(body);
            long timeout = isTyping ? timeoutMs(body) : 0;
            return rooms.requireJoined(roomId, requester.userId())
                    .then(Mono.defer(() -> typing.setTyping(roomId, requester.userId(), isTyping, timeout)));
        }).then(Responses.empty());
    }

    private static boolean typingField(JsonNode body) {
        JsonNode v = body.get("typing");
        if (v == null || v.isNull()) {
            throw MatrixException.missingParam("Missing parameter: typing");
        }
        if (!v.isBoolean()) {
            throw MatrixException.badJson("Parameter typing must be a boolean");
        }
        return v.booleanValue();
    }

    /** The timeout in ms: the default when absent ({@link TypingService} caps it). */
    static long timeoutMs(JsonNode body) {
        JsonNode v = body.get("timeout");
        if (v == null || v.isNull()) {
            return DEFAULT_TIMEOUT_MS;
        }
        if (!v.isIntegralNumber()) {
            throw MatrixException.badJson("Parameter timeout must be an integer");
        }
        if (!v.canConvertToLong() || v.longValue() < 0) {
            throw MatrixException.invalidParam("Parameter timeout must not be negative");
        }
        return v.longValue();
    }
}
