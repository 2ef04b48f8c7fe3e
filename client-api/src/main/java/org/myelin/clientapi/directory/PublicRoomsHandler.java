package org.myelin.clientapi.directory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.PublicRoom;
import org.myelin.room.api.PublicRoomsPage;
import org.myelin.room.api.PublicRoomsRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The published room directory (https://spec.matrix.org/v1.19/client-server-api/#listing-rooms): GET and PUT
 * /directory/list/room/{roomId}, GET and POST /publicRooms. Another server's directory needs federation, which does
 * not exist yet: a {@code server} other than this one is 404 M_NOT_FOUND.
 */
@Component
public class PublicRoomsHandler {

    /** Rooms per page when the client names no limit. */
    static final int DEFAULT_LIMIT = 100;
    /** The most rooms one page holds, whatever the client asks. */
    static final int MAX_LIMIT = 500;

    private final JsonBodies bodies;
    private final ClientDirectoryApi directory;
    private final ServerName serverName;

    public PublicRoomsHandler(JsonBodies bodies, ClientDirectoryApi directory, ClientApiSettings settings) {
        this.bodies = bodies;
        this.directory = directory;
        this.serverName = ServerName.parse(settings.serverName());
    }

    /** GET /_matrix/client/v3/directory/list/room/{roomId} */
    public Mono<ServerResponse> getVisibility(ServerRequest request) {
        return Mono.fromCallable(() -> RoomId.parse(request.pathVariable("roomId")))
                .flatMap(directory::isPublished)
                .flatMap(published -> Responses.ok(Map.of("visibility", published ? "public" : "private")));
    }

    /** PUT /_matrix/client/v3/directory/list/room/{roomId} */
    public Mono<ServerResponse> setVisibility(ServerRequest request, Requester requester) {
        return Mono.fromCallable(() -> RoomId.parse(request.pathVariable("roomId")))
                .flatMap(roomId -> bodies.object(request).flatMap(body -> {
                    String visibility = JsonFields.optionalString(body, "visibility");
                    if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
                        throw MatrixException.invalidParam("visibility must be public or private");
                    }
                    return directory.setPublished(UserId.parse(requester.userId()), roomId,
                            !"private".equals(visibility));
                }))
                .then(Responses.empty());
    }

    /** GET /_matrix/client/v3/publicRooms */
    public Mono<ServerResponse> getPublicRooms(ServerRequest request) {
        return Mono.fromCallable(() -> {
            requireThisServer(request);
            Integer limit = request.queryParam("limit").map(value -> QueryParams.integer(value, "limit")).orElse(null);
            return new PublicRoomsRequest(limit(limit), request.queryParam("since").orElse(null), null, null, false);
        }).flatMap(this::respond);
    }

    /** POST /_matrix/client/v3/publicRooms */
    public Mono<ServerResponse> queryPublicRooms(ServerRequest request, Requester requester) {
        return Mono.fromRunnable(() -> requireThisServer(request))
                .then(bodies.object(request))
                .map(PublicRoomsHandler::parse)
                .flatMap(this::respond);
    }

    private static PublicRoomsRequest parse(JsonNode body) {
        JsonNode limitNode = body.get("limit");
        Integer limit = null;
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isIntegralNumber() || !limitNode.canConvertToInt()) {
                throw MatrixException.badJson("limit must be an integer");
            }
            limit = limitNode.intValue();
        }
        JsonNode filter = JsonFields.optionalObject(body, "filter");
        String term = filter == null ? null : JsonFields.optionalString(filter, "generic_search_term");
        List<String> types = null;
        boolean untyped = false;
        JsonNode roomTypes = filter == null ? null : filter.get("room_types");
        if (roomTypes != null && !roomTypes.isNull()) {
            if (!roomTypes.isArray()) {
                throw MatrixException.badJson("filter.room_types must be an array");
            }
            types = new ArrayList<>();
            for (JsonNode type : roomTypes) {
                if (type.isNull()) {
                    untyped = true;
                } else if (type.isString()) {
                    types.add(type.stringValue());
                } else {
                    throw MatrixException.badJson("filter.room_types must list strings or null");
                }
            }
        }
        return new PublicRoomsRequest(limit(limit), JsonFields.optionalString(body, "since"),
                term == null || term.isBlank() ? null : term.strip(), types, untyped);
    }

    private Mono<ServerResponse> respond(PublicRoomsRequest request) {
        return directory.publicRooms(request).flatMap(page -> Responses.ok(body(page)));
    }

    private void requireThisServer(ServerRequest request) {
        String server = request.queryParam("server").orElse(null);
        if (server != null && !ServerName.parse(server).equals(serverName)) {
            throw MatrixException.notFound("Listing other servers' rooms needs federation, which this server "
                    + "does not have yet");
        }
    }

    private static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1) {
            throw MatrixException.invalidParam("limit must be positive");
        }
        return Math.min(requested, MAX_LIMIT);
    }

    private static Map<String, Object> body(PublicRoomsPage page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chunk", page.chunk().stream().map(PublicRoomsHandler::chunk).toList());
        if (page.nextBatch() != null) {
            body.put("next_batch", page.nextBatch());
        }
        if (page.prevBatch() != null) {
            body.put("prev_batch", page.prevBatch());
        }
        body.put("total_room_count_estimate", page.totalEstimate());
        return body;
    }

    private static Map<String, Object> chunk(PublicRoom room) {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("room_id", room.roomId());
        chunk.put("num_joined_members", room.numJoinedMembers());
        chunk.put("world_readable", room.worldReadable());
        chunk.put("guest_can_join", room.guestCanJoin());
        putIfPresent(chunk, "name", room.name());
        putIfPresent(chunk, "topic", room.topic());
        putIfPresent(chunk, "canonical_alias", room.canonicalAlias());
        putIfPresent(chunk, "avatar_url", room.avatarUrl());
        putIfPresent(chunk, "join_rule", room.joinRule());
        putIfPresent(chunk, "room_type", room.roomType());
        return chunk;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
