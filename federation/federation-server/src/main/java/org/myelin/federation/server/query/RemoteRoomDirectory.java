package org.myelin.federation.server.query;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.PublicRoomsJson;
import org.myelin.room.api.PublicRoomsPage;
import org.myelin.room.api.PublicRoomsRequest;
import org.myelin.room.api.RemotePublicRooms;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another server's published rooms, asked of that server: a plain page with {@code GET}, a search or room-type
 * filter with {@code POST} (as Synapse does, so servers without the POST form still list). Its 403 and 404 are the
 * client's, and so is a server name DNS does not know (404); a server that cannot be reached or answers with an error of its own is 502 {@code M_UNKNOWN}.
 */
public final class RemoteRoomDirectory implements RemotePublicRooms {

    private static final String PATH = "/_matrix/federation/v1/publicRooms";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FederationClient client;

    public RemoteRoomDirectory(FederationClient client) {
        this.client = client;
    }

    @Override
    public Mono<PublicRoomsPage> list(ServerName server, PublicRoomsRequest request) {
        boolean filtered = request.searchTerm() != null || request.roomTypes() != null || request.includeUntyped();
        return (filtered
                ? client.send(server, "POST", PATH, JSON.valueToTree(PublicRoomsJson.requestBody(request)))
                : client.get(server, PATH + "?limit=" + request.limit() + (request.since() == null ? ""
                        : "&since=" + FederationClient.segment(request.since()))))
                .map(PublicRoomsJson::page)
                .onErrorMap(RemoteServerException.class, e -> asClientError(server, e));
    }

    private static MatrixException asClientError(ServerName server, RemoteServerException e) {
        if (e.noSuchHost()) {
            return MatrixException.notFound(server + " is not a server that can be found");
        }
        return switch (e.status()) {
            case 403 -> MatrixException.forbidden(server + " does not list its rooms to other servers");
            case 404 -> MatrixException.notFound(server + " has no room directory");
            default -> new MatrixException(ErrCode.M_UNKNOWN, 502,
                    server + "'s room directory could not be read: " + e.getMessage());
        };
    }
}
