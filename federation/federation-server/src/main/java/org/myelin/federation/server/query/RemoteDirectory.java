package org.myelin.federation.server.query;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.room.api.AliasTarget;
import org.myelin.room.api.RemoteAliases;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Another server's alias, asked of that server ({@code GET /_matrix/federation/v1/query/directory}): its 404 is the
 * client's 404 {@code M_NOT_FOUND}; a server that cannot be reached or answers nonsense is 502 {@code M_UNKNOWN}.
 */
public final class RemoteDirectory implements RemoteAliases {

    private final FederationClient client;

    public RemoteDirectory(FederationClient client) {
        this.client = client;
    }

    @Override
    public Mono<AliasTarget> resolve(RoomAlias alias) {
        return client.get(alias.server(), "/_matrix/federation/v1/query/directory?room_alias="
                        + FederationClient.segment(alias.toString()))
                .map(RemoteDirectory::target)
                .onErrorMap(RemoteServerException.class, e -> e.status() == 404
                        ? MatrixException.notFound("Room alias " + alias + " not found")
                        : new MatrixException(ErrCode.M_UNKNOWN, 502,
                                "The alias's server could not be asked: " + e.getMessage()));
    }

    private static AliasTarget target(JsonNode answer) {
        try {
            List<ServerName> servers = new ArrayList<>();
            answer.path("servers").forEach(s -> servers.add(ServerName.parse(s.stringValue(""))));
            return new AliasTarget(RoomId.parse(answer.path("room_id").stringValue("")), servers);
        } catch (MatrixException e) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 502,
                    "The alias's server answered something that is not a room: " + e.getMessage());
        }
    }
}
