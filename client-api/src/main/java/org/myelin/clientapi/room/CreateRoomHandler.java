package org.myelin.clientapi.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomAlias;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.CreateRoomRequest;
import org.myelin.room.api.RoomPreset;
import org.myelin.room.api.StateContent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /createRoom (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3createroom): validates
 * the body and hands a {@link CreateRoomRequest} to the room graph.
 */
@Component
public class CreateRoomHandler {

    private final JsonBodies bodies;
    private final ClientRoomApi rooms;
    private final String serverName;

    public CreateRoomHandler(JsonBodies bodies, ClientRoomApi rooms, ClientApiSettings settings) {
        this.bodies = bodies;
        this.rooms = rooms;
        this.serverName = settings.serverName();
    }

    /** POST /_matrix/client/v3/createRoom */
    public Mono<ServerResponse> createRoom(ServerRequest request, Requester requester) {
        return bodies.optionalObject(request).map(this::parse)
                .flatMap(create -> rooms.createRoom(UserId.parse(requester.userId()), create))
                .flatMap(roomId -> Responses.ok(Map.of("room_id", roomId.value())));
    }

    private CreateRoomRequest parse(JsonNode body) {
        String visibility = JsonFields.optionalString(body, "visibility");
        if (visibility != null && !visibility.equals("public") && !visibility.equals("private")) {
            throw MatrixException.invalidParam("visibility must be public or private");
        }
        boolean publish = "public".equals(visibility);
        String versionId = JsonFields.optionalString(body, "room_version");
        RoomVersion version = versionId == null ? RoomVersions.DEFAULT : RoomVersions.find(versionId)
                .orElseThrow(() -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                        "Room version " + versionId + " is not supported"));
        return new CreateRoomRequest(version, preset(body, publish), publish, aliasLocalpart(body),
                JsonFields.optionalString(body, "name"), JsonFields.optionalString(body, "topic"), invites(body),
                initialState(body), object(body, "power_level_content_override"), object(body, "creation_content"),
                JsonFields.optionalBoolean(body, "is_direct", false));
    }

    private static RoomPreset preset(JsonNode body, boolean publish) {
        String preset = JsonFields.optionalString(body, "preset");
        if (preset == null) {
            return publish ? RoomPreset.PUBLIC_CHAT : RoomPreset.PRIVATE_CHAT;
        }
        return switch (preset) {
            case "private_chat", "public_chat", "trusted_private_chat" ->
                    RoomPreset.valueOf(preset.toUpperCase(Locale.ROOT));
            default -> throw MatrixException.invalidParam("Unknown preset " + preset);
        };
    }

    private String aliasLocalpart(JsonNode body) {
        String localpart = JsonFields.optionalString(body, "room_alias_name");
        if (localpart == null) {
            return null;
        }
        try {
            RoomAlias.parse("#" + localpart + ":" + serverName);
        } catch (MatrixException e) {
            throw MatrixException.invalidParam("Invalid room_alias_name");
        }
        if (localpart.isEmpty() || localpart.contains(":")) {
            throw MatrixException.invalidParam("Invalid room_alias_name");
        }
        return localpart;
    }

    private static List<UserId> invites(JsonNode body) {
        List<UserId> invites = new ArrayList<>();
        for (JsonNode invite : array(body, "invite")) {
            if (!invite.isString()) {
                throw MatrixException.badJson("invite must list user IDs");
            }
            invites.add(UserId.parse(invite.asString()));
        }
        return invites;
    }

    private static List<StateContent> initialState(JsonNode body) {
        List<StateContent> states = new ArrayList<>();
        for (JsonNode state : array(body, "initial_state")) {
            if (!state.isObject()) {
                throw MatrixException.badJson("initial_state must list objects");
            }
            String type = JsonFields.requiredString(state, "type");
            String stateKey = JsonFields.optionalString(state, "state_key");
            JsonNode content = JsonFields.optionalObject(state, "content");
            if (content == null) {
                throw MatrixException.missingParam("initial_state entries need a content object");
            }
            states.add(new StateContent(type, stateKey == null ? "" : stateKey, (ObjectNode) content));
        }
        return states;
    }

    private static Iterable<JsonNode> array(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw MatrixException.badJson(field + " must be an array");
        }
        return value;
    }

    private static ObjectNode object(JsonNode body, String field) {
        JsonNode value = JsonFields.optionalObject(body, field);
        return value == null ? null : (ObjectNode) value;
    }
}
