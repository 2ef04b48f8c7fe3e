package org.myelin.clientapi.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.sync.PaginationToken;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.MembersQuery;
import org.myelin.room.api.MessagesPage;
import org.myelin.room.api.MessagesQuery;
import org.myelin.room.api.RemoteHistory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading a room: GET /rooms/{roomId}/members, /joined_members, /event/{eventId} and /messages
 * (https://spec.matrix.org/v1.19/client-server-api/#getting-events-for-a-room).
 */
@Component
public class RoomReadHandler {

    private static final Set<String> MEMBERSHIPS = Set.of("join", "invite", "knock", "leave", "ban");
    private static final int DEFAULT_LIMIT = 10;
    private static final int MAX_LIMIT = 1000;

    private final ClientRoomApi rooms;
    private final RemoteHistory remoteHistory;
    private final ClientEvents clientEvents;
    private final RoomEventFilters filters;

    public RoomReadHandler(ClientRoomApi rooms, ClientEvents clientEvents, RoomEventFilters filters,
            RemoteHistory remoteHistory) {
        this.rooms = rooms;
        this.remoteHistory = remoteHistory;
        this.clientEvents = clientEvents;
        this.filters = filters;
    }

    /**
     * GET /_matrix/client/v3/rooms/{roomId}/members; {@code at} is a /messages token or, as clients send it, a /sync
     * {@code next_batch} (the members as of that sync).
     */
    public Mono<ServerResponse> members(ServerRequest request, Requester requester) {
        MembersQuery query = new MembersQuery(request.queryParam("at").map(PaginationToken::parse).orElse(null),
                membership(request, "membership"), membership(request, "not_membership"));
        return rooms.members(RoomIds.user(requester), RoomIds.room(request), query)
                .flatMap(events -> Responses.ok(Map.of("chunk", clientEvents.format(events, requester))));
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/joined_members */
    public Mono<ServerResponse> joinedMembers(ServerRequest request, Requester requester) {
        return rooms.members(RoomIds.user(requester), RoomIds.room(request), MembersQuery.now("join", null))
                .flatMap(events -> {
                    Map<String, Object> joined = new LinkedHashMap<>();
                    for (ObjectNode event : clientEvents.format(events, requester)) {
                        JsonNode content = event.path("content");
                        Map<String, Object> profile = new LinkedHashMap<>();
                        putIfPresent(profile, "display_name", text(content, "displayname"));
                        putIfPresent(profile, "avatar_url", text(content, "avatar_url"));
                        joined.put(event.path("state_key").asString(""), profile);
                    }
                    return Responses.ok(Map.of("joined", joined));
                });
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * GET /_matrix/client/v3/rooms/{roomId}/event/{eventId}. The spec documents only 404 here ("not found or you
     * do not have permission"), so a reader without access gets 404 like an unknown event, and cannot probe which
     * event IDs exist.
     */
    public Mono<ServerResponse> event(ServerRequest request, Requester requester) {
        EventId eventId = RedactionHandler.eventId(request);
        return rooms.event(RoomIds.user(requester), RoomIds.room(request), eventId)
                .onErrorMap(e -> e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN,
                        e -> MatrixException.notFound("Event not found"))
                .flatMap(event -> Responses.ok(clientEvents.format(event, requester)));
    }

    /**
     * GET /_matrix/client/v3/rooms/{roomId}/messages. {@code from} and {@code to} are /messages, /context or /sync
     * tokens ({@link PaginationToken}); {@code end} is there exactly when more events are.
     */
    public Mono<ServerResponse> messages(ServerRequest request, Requester requester) {
        String dir = request.queryParam("dir")
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: dir"));
        if (!dir.equals("b") && !dir.equals("f")) {
            throw MatrixException.invalidParam("dir must be b or f");
        }
        MessagesQuery query = new MessagesQuery(dir.equals("b"),
                request.queryParam("from").map(PaginationToken::parse).orElse(null),
                request.queryParam("to").map(PaginationToken::parse).orElse(null), limit(request),
                filters.parse(request.queryParam("filter").orElse(null)));
        UserId user = RoomIds.user(requester);
        RoomId roomId = RoomIds.room(request);
        return rooms.messages(user, roomId, query)
                .flatMap(page -> reachedLocalStart(query, page)
                        ? remoteHistory.fetchEarlier(roomId).flatMap(fetched -> fetched
                                ? rooms.messages(user, roomId, query) : Mono.just(page))
                        : Mono.just(page))
                .flatMap(page -> Responses.ok(body(page, requester)));
    }

    /**
     * Whether a backwards page ran out of events before its limit without a {@code to}: the start of what this
     * server holds, where other servers in the room may have more (the page is read again after a backfill).
     */
    private static boolean reachedLocalStart(MessagesQuery query, MessagesPage page) {
        return query.backwards() && query.to() == null && page.end() == null;
    }

    private Map<String, Object> body(MessagesPage page, Requester requester) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chunk", clientEvents.format(page.chunk(), requester));
        body.put("start", PaginationToken.format(page.start()));
        if (page.end() != null) {
            body.put("end", page.end().token());
        }
        if (!page.state().isEmpty()) {
            body.put("state", clientEvents.format(page.state(), requester));
        }
        return body;
    }

    private static int limit(ServerRequest request) {
        String limit = request.queryParam("limit").orElse(null);
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value < 0) {
                throw MatrixException.invalidParam("limit must not be negative");
            }
            return Math.min(value, MAX_LIMIT);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("limit must be an integer");
        }
    }

    private static String membership(ServerRequest request, String param) {
        String value = request.queryParam(param).orElse(null);
        if (value != null && !MEMBERSHIPS.contains(value)) {
            throw MatrixException.invalidParam(param + " must be one of " + List.copyOf(MEMBERSHIPS));
        }
        return value;
    }

    private static String text(JsonNode content, String field) {
        JsonNode value = content.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
