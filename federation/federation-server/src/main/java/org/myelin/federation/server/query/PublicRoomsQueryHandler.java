package org.myelin.federation.server.query;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.PublicRoomsJson;
import org.myelin.room.api.PublicRoomsRequest;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code GET} and {@code POST /_matrix/federation/v1/publicRooms}: this server's published rooms for another
 * server's users, when {@code MYELIN_FEDERATION_PUBLIC_ROOMS} allows it (off by default, as in Synapse); otherwise
 * {@code 403 M_FORBIDDEN}. Third-party networks are not bridged here, so {@code include_all_networks} lists the
 * same rooms.
 */
final class PublicRoomsQueryHandler {

    private final ClientDirectoryApi directory;
    private final boolean published;

    PublicRoomsQueryHandler(ClientDirectoryApi directory, boolean published) {
        this.directory = directory;
        this.published = published;
    }

    Mono<ServerResponse> list(ServerRequest request, SignedRequest signed) {
        return Mono.fromCallable(() -> {
            Integer limit = request.queryParam("limit").map(value -> QueryParams.integer(value, "limit"))
                    .orElse(null);
            return new PublicRoomsRequest(PublicRoomsJson.limit(limit), request.queryParam("since").orElse(null),
                    null, null, false);
        }).flatMap(this::respond);
    }

    Mono<ServerResponse> query(ServerRequest request, SignedRequest signed) {
        JsonNode body = signed.body().orElseGet(JsonNodeFactory.instance::objectNode);
        return Mono.fromCallable(() -> PublicRoomsJson.request(body)).flatMap(this::respond);
    }

    private Mono<ServerResponse> respond(PublicRoomsRequest listing) {
        if (!published) {
            return Mono.error(MatrixException.forbidden("This server does not list its rooms to other servers"));
        }
        return directory.publicRooms(listing).flatMap(page -> Responses.ok(PublicRoomsJson.body(page)));
    }
}
