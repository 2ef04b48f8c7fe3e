package org.myelin.clientapi.directory;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientDirectoryApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Room aliases (https://spec.matrix.org/v1.19/client-server-api/#room-aliases): PUT, GET and DELETE
 * /directory/room/{roomAlias} and GET /rooms/{roomId}/aliases. A malformed alias or room ID is 400
 * M_INVALID_PARAM.
 */
@Component
public class AliasHandler {

    private final JsonBodies bodies;
    private final ClientDirectoryApi directory;

    public AliasHandler(JsonBodies bodies, ClientDirectoryApi directory) {
        this.bodies = bodies;
        this.directory = directory;
    }

    /** PUT /_matrix/client/v3/directory/room/{roomAlias} */
    public Mono<ServerResponse> createAlias(ServerRequest request, Requester requester) {
        return Mono.fromCallable(() -> alias(request))
                .flatMap(alias -> bodies.object(request)
                        .map(body -> RoomId.parse(JsonFields.requiredString(body, "room_id")))
                        .flatMap(roomId -> directory.createAlias(UserId.parse(requester.userId()), alias, roomId)))
                .then(Responses.empty());
    }

    /** GET /_matrix/client/v3/directory/room/{roomAlias} */
    public Mono<ServerResponse> getAlias(ServerRequest request) {
        return Mono.fromCallable(() -> alias(request))
                .flatMap(directory::resolveAlias)
                .flatMap(target -> Responses.ok(Map.of("room_id", target.roomId().value(),
                        "servers", target.servers().stream().map(ServerName::value).toList())));
    }

    /** DELETE /_matrix/client/v3/directory/room/{roomAlias} */
    public Mono<ServerResponse> deleteAlias(ServerRequest request, Requester requester) {
        return Mono.fromCallable(() -> alias(request))
                .flatMap(alias -> directory.deleteAlias(UserId.parse(requester.userId()), alias))
                .then(Responses.empty());
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/aliases */
    public Mono<ServerResponse> localAliases(ServerRequest request, Requester requester) {
        return Mono.fromCallable(() -> RoomId.parse(request.pathVariable("roomId")))
                .flatMap(roomId -> directory.localAliases(UserId.parse(requester.userId()), roomId))
                .flatMap(aliases -> Responses.ok(Map.of("aliases",
                        aliases.stream().map(RoomAlias::toString).toList())));
    }

    private static RoomAlias alias(ServerRequest request) {
        return RoomAlias.parse(request.pathVariable("roomAlias"));
    }
}
