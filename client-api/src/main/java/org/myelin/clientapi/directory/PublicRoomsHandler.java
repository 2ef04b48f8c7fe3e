package org.myelin.clientapi.directory;

import java.util.Map;

import org.myelin.clientapi.auth.AccessTokenAuth;
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
import org.myelin.room.api.PublicRoomsJson;
import org.myelin.room.api.PublicRoomsRequest;
import org.myelin.room.api.RemotePublicRooms;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * The published room directory (https://spec.matrix.org/v1.19/client-server-api/#listing-rooms): GET and PUT
 * /directory/list/room/{roomId}, GET and POST /publicRooms, with {@code server} naming another server's directory
 * (asked over federation).
 */
@Component
public class PublicRoomsHandler {

    private final JsonBodies bodies;
    private final ClientDirectoryApi directory;
    private final RemotePublicRooms remote;
    private final ServerName serverName;
    private final AccessTokenAuth auth;

    public PublicRoomsHandler(JsonBodies bodies, ClientDirectoryApi directory, RemotePublicRooms remote,
            ClientApiSettings settings, AccessTokenAuth auth) {
        this.auth = auth;
        this.bodies = bodies;
        this.directory = directory;
        this.remote = remote;
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

    /**
     * GET /_matrix/client/v3/publicRooms: this server's directory is public; another server's is asked only for an
     * authenticated user (as Synapse does: this server does the asking).
     */
    public Mono<ServerResponse> getPublicRooms(ServerRequest request) {
        return Mono.fromCallable(() -> {
            Integer limit = request.queryParam("limit").map(value -> QueryParams.integer(value, "limit")).orElse(null);
            return new PublicRoomsRequest(PublicRoomsJson.limit(limit), request.queryParam("since").orElse(null),
                    null, null, false);
        }).flatMap(listing -> isRemote(request)
                ? auth.authenticate(request).then(Mono.defer(() -> respond(request, listing)))
                : respond(request, listing));
    }

    /** POST /_matrix/client/v3/publicRooms */
    public Mono<ServerResponse> queryPublicRooms(ServerRequest request, Requester requester) {
        return bodies.object(request).map(PublicRoomsJson::request).flatMap(listing -> respond(request, listing));
    }

    /** This server's directory, or with {@code ?server=} another server's, asked over federation. */
    private Mono<ServerResponse> respond(ServerRequest request, PublicRoomsRequest listing) {
        ServerName server = server(request);
        return (server.equals(serverName) ? directory.publicRooms(listing) : remote.list(server, listing))
                .flatMap(page -> Responses.ok(PublicRoomsJson.body(page)));
    }

    private boolean isRemote(ServerRequest request) {
        return !server(request).equals(serverName);
    }

    private ServerName server(ServerRequest request) {
        return request.queryParam("server").map(ServerName::parse).orElse(serverName);
    }
}
