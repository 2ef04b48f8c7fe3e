package org.myelin.clientapi.sync.legacy;

import java.time.Duration;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.clientapi.room.RedactionHandler;
import org.myelin.clientapi.sync.SyncHandler;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The deprecated endpoints' HTTP side: GET /events ({@code from} a /sync token, else now; {@code timeout} as /sync
 * reads it; {@code room_id} to peek), GET /events/{eventId} (404 for an event the user may not see, as for an
 * unknown one), GET /initialSync ({@code limit} of messages per room, 10 by default and at most 100;
 * {@code archived}) and GET /rooms/{roomId}/initialSync (the same {@code limit}, NOTSPEC as Synapse reads it). A
 * malformed parameter is 400 M_INVALID_PARAM.
 */
@Component
public class LegacySyncHandler {

    static final int DEFAULT_LIMIT = 10;

    private final EventStream stream;
    private final RoomPeek peek;
    private final StreamPositions positions;
    private final InitialSync initialSync;
    private final RoomInitialSync roomInitialSync;
    private final ClientRoomApi rooms;
    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public LegacySyncHandler(EventStream stream, RoomPeek peek, StreamPositions positions, InitialSync initialSync,
            RoomInitialSync roomInitialSync, ClientRoomApi rooms, ClientEvents clientEvents, ObjectMapper mapper) {
        this.stream = stream;
        this.peek = peek;
        this.positions = positions;
        this.initialSync = initialSync;
        this.roomInitialSync = roomInitialSync;
        this.rooms = rooms;
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    /** GET /_matrix/client/v3/events */
    public Mono<ServerResponse> events(ServerRequest request, Requester requester) {
        SyncToken from = request.queryParam("from").filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
        Duration timeout = SyncHandler.timeout(request.queryParam("timeout").orElse(null));
        RoomId roomId = request.queryParam("room_id").map(RoomId::parse).orElse(null);
        return (from == null ? positions.now() : Mono.just(from)).flatMap(start -> (roomId == null
                ? stream.after(requester, start, timeout) : peek.after(requester, roomId, start, timeout))
                .flatMap(chunk -> {
                    ObjectNode body = mapper.createObjectNode();
                    body.put("start", start.format());
                    body.put("end", chunk.end().format());
                    chunk.events().forEach(body.putArray("chunk")::add);
                    return Responses.ok(body);
                }));
    }

    /** GET /_matrix/client/v3/events/{eventId} */
    public Mono<ServerResponse> event(ServerRequest request, Requester requester) {
        return rooms.event(UserId.parse(requester.userId()), RedactionHandler.eventId(request))
                .flatMap(event -> Responses.ok(clientEvents.format(event, requester)));
    }

    /** GET /_matrix/client/v3/initialSync */
    public Mono<ServerResponse> initialSync(ServerRequest request, Requester requester) {
        int limit = limit(request);
        boolean archived = archived(request.queryParam("archived").orElse(null));
        return initialSync.snapshot(requester, limit, archived).flatMap(Responses::ok);
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/initialSync */
    public Mono<ServerResponse> roomInitialSync(ServerRequest request, Requester requester) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        return roomInitialSync.snapshot(requester, roomId, limit(request)).flatMap(Responses::ok);
    }

    private static int limit(ServerRequest request) {
        String value = request.queryParam("limit").orElse(null);
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (!value.matches("\\d{1,9}")) {
            throw MatrixException.invalidParam("limit must be a non-negative integer");
        }
        return Math.min(Integer.parseInt(value), EventStream.ROOM_LIMIT);
    }

    private static boolean archived(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw MatrixException.invalidParam("archived must be true or false");
    }
}
