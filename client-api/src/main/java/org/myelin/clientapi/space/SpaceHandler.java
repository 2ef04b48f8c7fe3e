package org.myelin.clientapi.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.RoomTargets;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.space.SpaceRoom;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientSpaceApi;
import org.myelin.room.api.HierarchyPage;
import org.myelin.room.api.HierarchyQuery;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /_matrix/client/v1/rooms/{roomId}/hierarchy
 * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1roomsroomidhierarchy): {@code suggested_only}
 * must be true or false, {@code limit} a positive and {@code max_depth} a non-negative integer (400 M_INVALID_PARAM);
 * at most 50 rooms a page and 50 levels deep. GET /_matrix/client/v1/room_summary/{roomIdOrAlias}
 * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv1room_summaryroomidoralias), also without an
 * access token for rooms of this server anyone may preview; an alias is resolved first, its servers joining
 * {@code via}.
 */
@Component
public class SpaceHandler {

    private final ClientSpaceApi spaces;
    private final RoomTargets targets;
    private final ObjectMapper mapper;

    public SpaceHandler(ClientSpaceApi spaces, RoomTargets targets, ObjectMapper mapper) {
        this.spaces = spaces;
        this.targets = targets;
        this.mapper = mapper;
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/hierarchy */
    public Mono<ServerResponse> hierarchy(ServerRequest request, Requester requester) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        HierarchyQuery query = new HierarchyQuery(
                bool(request.queryParam("suggested_only").orElse(null)),
                integer(request, "max_depth", 0), Optional.ofNullable(integer(request, "limit", 1))
                        .orElse(HierarchyQuery.MAX_LIMIT),
                request.queryParam("from").orElse(null));
        return spaces.hierarchy(UserId.parse(requester.userId()), roomId, query)
                .flatMap(page -> Responses.ok(body(page)));
    }

    /** GET /_matrix/client/v1/room_summary/{roomIdOrAlias}, with or without an access token. */
    public Mono<ServerResponse> summary(ServerRequest request, Optional<Requester> requester) {
        List<ServerName> via = new ArrayList<>();
        for (String server : request.queryParams().getOrDefault("via", List.of())) {
            via.add(ServerName.parse(server));
        }
        UserId user = requester.map(r -> UserId.parse(r.userId())).orElse(null);
        return targets.resolve(request.pathVariable("roomIdOrAlias")).flatMap(target -> {
            target.servers().stream().filter(s -> !via.contains(s)).forEach(via::add);
            return spaces.summary(user, target.roomId(), via);
        }).flatMap(preview -> {
            ObjectNode body = preview.summary().toJson();
            if (preview.membership() != null) {
                body.put("membership", preview.membership());
            }
            return Responses.ok(body);
        });
    }

    private ObjectNode body(HierarchyPage page) {
        ObjectNode body = mapper.createObjectNode();
        var rooms = body.putArray("rooms");
        for (SpaceRoom room : page.rooms()) {
            rooms.add(room.toJson());
        }
        if (page.nextBatch() != null) {
            body.put("next_batch", page.nextBatch());
        }
        return body;
    }

    private static boolean bool(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw MatrixException.invalidParam("suggested_only must be true or false");
    }

    /** An integer query parameter of at least {@code min}, or null when absent. */
    private static Integer integer(ServerRequest request, String name, int min) {
        String value = request.queryParam(name).orElse(null);
        if (value == null) {
            return null;
        }
        if (!value.matches("-?\\d{1,9}") || Integer.parseInt(value) < min) {
            throw MatrixException.invalidParam(name + " must be an integer of at least " + min);
        }
        return Integer.parseInt(value);
    }
}
