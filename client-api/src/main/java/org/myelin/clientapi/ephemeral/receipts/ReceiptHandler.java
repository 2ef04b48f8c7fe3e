package org.myelin.clientapi.ephemeral.receipts;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.JoinedRooms;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataService;
import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Sending receipts and setting read markers (https://spec.matrix.org/v1.19/client-server-api/#receipts). */
@Component
public class ReceiptHandler {

    static final String READ = "m.read";
    static final String READ_PRIVATE = "m.read.private";
    static final String FULLY_READ = "m.fully_read";
    private static final Set<String> TYPES = Set.of(READ, READ_PRIVATE, FULLY_READ);

    private final JsonBodies bodies;
    private final JoinedRooms rooms;
    private final ReceiptService receipts;
    private final AccountDataService accountData;
    private final Clock clock;

    public ReceiptHandler(JsonBodies bodies, JoinedRooms rooms, ReceiptService receipts,
            AccountDataService accountData, Clock clock) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.receipts = receipts;
        this.accountData = accountData;
        this.clock = clock;
    }

    /**
     * POST /_matrix/client/v3/rooms/{roomId}/receipt/{receiptType}/{eventId}
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidreceiptreceipttypeeventid).
     * {@code m.fully_read} moves the read marker instead, as the spec says.
     */
    public Mono<ServerResponse> sendReceipt(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        String type = request.pathVariable("receiptType");
        if (!TYPES.contains(type)) {
            throw MatrixException.invalidParam("Receipt type must be one of " + TYPES);
        }
        String eventId = EventId.parse(request.pathVariable("eventId")).toString();
        return bodies.optionalObject(request).flatMap(body -> {
            String threadId = threadId(body, type);
            return rooms.requireJoined(roomId, requester.userId())
                    .then(Mono.defer(() -> mark(roomId, requester.userId(), type, eventId, threadId)));
        }).then(Responses.empty());
    }

    /**
     * POST /_matrix/client/v3/rooms/{roomId}/read_markers
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidread_markers).
     */
    public Mono<ServerResponse> setReadMarkers(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        return bodies.object(request).flatMap(body -> {
            List<String[]> marks = List.of(FULLY_READ, READ, READ_PRIVATE).stream()
                    .filter(t -> JsonFields.optionalString(body, t) != null)
                    .map(t -> new String[] {t, EventId.parse(JsonFields.optionalString(body, t)).toString()})
                    .toList();
            return rooms.requireJoined(roomId, requester.userId()).thenMany(Flux.fromIterable(marks))
                    .concatMap(m -> mark(roomId, requester.userId(), m[0], m[1], ""))
                    .then();
        }).then(Responses.empty());
    }

    private Mono<Void> mark(String roomId, String userId, String type, String eventId, String threadId) {
        return rooms.queries().eventInRoom(eventId, roomId).flatMap(known -> {
            if (!known) {
                return Mono.error(MatrixException.notFound("Unknown event " + eventId + " in this room"));
            }
            if (FULLY_READ.equals(type)) {
                return accountData.put(userId, roomId, FULLY_READ,
                        JsonNodeFactory.instance.objectNode().put("event_id", eventId));
            }
            return receipts.put(new Receipt(roomId, type, userId, threadId, eventId, clock.millis()));
        });
    }

    /** The body's {@code thread_id}: {@code ""} when absent, else {@code main} or an event ID (400 otherwise). */
    static String threadId(JsonNode body, String type) {
        JsonNode v = body.get("thread_id");
        if (v == null) {
            return "";
        }
        if (!v.isString() || v.asString().isEmpty()) {
            throw MatrixException.invalidParam("thread_id field must be a non-empty string");
        }
        if (FULLY_READ.equals(type)) {
            throw MatrixException.invalidParam("thread_id is not allowed for m.fully_read");
        }
        String threadId = v.asString();
        if (!"main".equals(threadId) && !threadId.startsWith("$")) {
            throw MatrixException.invalidParam("thread_id must be \"main\" or an event ID");
        }
        return "main".equals(threadId) ? threadId : EventId.parse(threadId).toString();
    }
}
