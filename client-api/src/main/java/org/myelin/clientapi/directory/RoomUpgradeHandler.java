package org.myelin.clientapi.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomUpgradeApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * POST /rooms/{roomId}/upgrade (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3roomsroomidupgrade):
 * {@code new_version} must be a version this server supports (400 M_UNSUPPORTED_ROOM_VERSION);
 * {@code additional_creators} must list user IDs.
 */
@Component
public class RoomUpgradeHandler {

    private final JsonBodies bodies;
    private final ClientRoomUpgradeApi upgrades;

    public RoomUpgradeHandler(JsonBodies bodies, ClientRoomUpgradeApi upgrades) {
        this.bodies = bodies;
        this.upgrades = upgrades;
    }

    /** POST /_matrix/client/v3/rooms/{roomId}/upgrade */
    public Mono<ServerResponse> upgradeRoom(ServerRequest request, Requester requester) {
        return Mono.fromCallable(() -> RoomId.parse(request.pathVariable("roomId")))
                .flatMap(roomId -> bodies.object(request).flatMap(body -> upgrades.upgrade(
                        UserId.parse(requester.userId()), roomId, version(body), additionalCreators(body))))
                .flatMap(newRoom -> Responses.ok(Map.of("replacement_room", newRoom.value())));
    }

    private static RoomVersion version(JsonNode body) {
        String id = JsonFields.requiredString(body, "new_version");
        return RoomVersions.find(id).orElseThrow(() -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                "This server does not support room version " + id));
    }

    private static List<UserId> additionalCreators(JsonNode body) {
        JsonNode value = body.get("additional_creators");
        List<UserId> creators = new ArrayList<>();
        if (value == null || value.isNull()) {
            return creators;
        }
        if (!value.isArray()) {
            throw MatrixException.badJson("additional_creators must be an array");
        }
        for (JsonNode entry : value) {
            if (!entry.isString()) {
                throw MatrixException.badJson("additional_creators must list user IDs");
            }
            creators.add(UserId.parse(entry.stringValue()));
        }
        return creators;
    }
}
