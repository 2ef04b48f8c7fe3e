package org.myelin.clientapi.room;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.ClientRoomReadApi;
import org.myelin.room.api.EventContext;
import org.myelin.room.api.RelationsPage;
import org.myelin.room.api.RelationsQuery;
import org.myelin.room.api.RemoteHistory;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.TimelinePosition;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Reads around single events: GET /rooms/{roomId}/context/{eventId}, /v1 relations (optionally by relation and
 * event type), /v1 threads and /v1 timestamp_to_event. Pagination tokens are the /messages tokens, so each
 * endpoint's tokens work with /messages and the other way round.
 */
@Component
public class EventContextHandler {

    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 1000;

    private final ClientRoomReadApi rooms;
    private final ClientRoomApi roomEvents;
    private final RemoteHistory remoteHistory;
    private final ClientEvents clientEvents;
    private final RoomEventFilters filters;

    public EventContextHandler(ClientRoomReadApi rooms, ClientEvents clientEvents, RoomEventFilters filters,
            ClientRoomApi roomEvents, RemoteHistory remoteHistory) {
        this.rooms = rooms;
        this.roomEvents = roomEvents;
        this.remoteHistory = remoteHistory;
        this.clientEvents = clientEvents;
        this.filters = filters;
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/context/{eventId} */
    public Mono<ServerResponse> context(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        var eventId = RedactionHandler.eventId(request);
        int limit = limit(request, "limit", DEFAULT_LIMIT, 0);
        var filter = filters.parse(request.queryParam("filter").orElse(null));
        return rooms.context(RoomIds.user(requester), roomId, eventId, limit, filter)
                .flatMap(context -> Responses.ok(body(context, requester)));
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]] */
    public Mono<ServerResponse> relations(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        var eventId = RedactionHandler.eventId(request);
        String dir = request.queryParam("dir").orElse("b");
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        Boolean recurse = request.queryParam("recurse").map(EventContextHandler::bool).orElse(null);
        RelationsQuery query = new RelationsQuery(eventId, request.pathVariables().get("relType"),
                request.pathVariables().get("eventType"), token(request, "from"), token(request, "to"),
                limit(request, "limit", DEFAULT_LIMIT, 1), dir.equals("b"), recurse);
        return rooms.relations(RoomIds.user(requester), roomId, query)
                .flatMap(page -> Responses.ok(body(page, requester)));
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/threads */
    public Mono<ServerResponse> threads(ServerRequest request, Requester requester) {
        String include = request.queryParam("include").orElse("all");
        if (!include.equals("all") && !include.equals("participated")) {
            throw MatrixException.invalidParam("include must be all or participated");
        }
        return rooms.threads(RoomIds.user(requester), RoomIds.room(request), include.equals("participated"),
                token(request, "from"), limit(request, "limit", DEFAULT_LIMIT, 1)).flatMap(page -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("chunk", clientEvents.format(page.chunk(), requester));
                    if (page.nextBatch() != null) {
                        body.put("next_batch", page.nextBatch().token());
                    }
                    return Responses.ok(body);
                });
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/timestamp_to_event */
    public Mono<ServerResponse> timestampToEvent(ServerRequest request, Requester requester) {
        var roomId = RoomIds.room(request);
        String dir = request.queryParam("dir")
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: dir"));
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        String ts = request.queryParam("ts")
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: ts"));
        long at;
        try {
            at = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("ts must be an integer");
        }
        boolean forwards = dir.equals("f");
        UserId user = RoomIds.user(requester);
        return rooms.eventAt(user, roomId, at, forwards).map(Optional::of)
                .onErrorResume(EventContextHandler::notFound, e -> Mono.just(Optional.empty()))
                .flatMap(local -> remoteHistory.closestEvent(roomId, at, forwards)
                        .flatMap(id -> roomEvents.event(user, roomId, id).map(Optional::of)
                                .onErrorResume(EventContextHandler::notFound, e -> Mono.empty()))
                        .defaultIfEmpty(Optional.empty())
                        .map(remote -> closer(local, remote, at, requester)))
                .flatMap(found -> found.map(event -> Responses.ok(Map.of("event_id", event.eventId().value(),
                                "origin_server_ts", timestamp(event, requester))))
                        .orElseGet(() -> Mono.error(MatrixException.notFound("No event found"))));
    }

    private static boolean notFound(Throwable e) {
        return e instanceof MatrixException m && m.errCode() == ErrCode.M_NOT_FOUND;
    }

    /** Of the closest event here and the one another server found (when history is missing here), the closer. */
    private Optional<RoomEvent> closer(Optional<RoomEvent> local, Optional<RoomEvent> remote, long at,
            Requester requester) {
        if (local.isEmpty() || remote.isEmpty()) {
            return local.isPresent() ? local : remote;
        }
        return Math.abs(timestamp(remote.get(), requester) - at) < Math.abs(timestamp(local.get(), requester) - at)
                ? remote : local;
    }

    private long timestamp(RoomEvent event, Requester requester) {
        return clientEvents.format(event, requester).path("origin_server_ts").asLong();
    }

    private Map<String, Object> body(EventContext context, Requester requester) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("start", context.start().token());
        body.put("end", context.end().token());
        body.put("events_before", clientEvents.format(context.before(), requester));
        body.put("event", clientEvents.format(context.event(), requester));
        body.put("events_after", clientEvents.format(context.after(), requester));
        body.put("state", clientEvents.format(context.state(), requester));
        return body;
    }

    private Map<String, Object> body(RelationsPage page, Requester requester) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chunk", clientEvents.format(page.chunk(), requester));
        if (page.nextBatch() != null) {
            body.put("next_batch", page.nextBatch().token());
        }
        if (page.prevBatch() != null) {
            body.put("prev_batch", page.prevBatch().token());
        }
        if (page.recursionDepth() != null) {
            body.put("recursion_depth", page.recursionDepth());
        }
        return body;
    }

    private static TimelinePosition token(ServerRequest request, String param) {
        return request.queryParam(param).map(TimelinePosition::parse).orElse(null);
    }

    private static int limit(ServerRequest request, String param, int defaultValue, int min) {
        String limit = request.queryParam(param).orElse(null);
        if (limit == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value < min) {
                throw MatrixException.invalidParam(param + " must be at least " + min);
            }
            return Math.min(value, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(param + " must be an integer");
        }
    }

    private static boolean bool(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw MatrixException.invalidParam("recurse must be true or false");
        }
        return value.equals("true");
    }
}
