package org.myelin.clientapi.ephemeral.accountdata;

import java.nio.charset.StandardCharsets;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.JoinedRooms;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Room tagging (https://spec.matrix.org/v1.19/client-server-api/#room-tagging): tags live in the room account data
 * {@code m.tag} as {@code {"tags": {tag: {order?}}}}, so they reach clients through the account_data stream.
 */
@Component
public class TagHandler {

    static final String TAG_TYPE = "m.tag";
    /** Tag names are at most 255 bytes, as Synapse enforces. */
    private static final int MAX_TAG_BYTES = 255;

    private final JsonBodies bodies;
    private final AccountDataService accountData;

    public TagHandler(JsonBodies bodies, AccountDataService accountData) {
        this.bodies = bodies;
        this.accountData = accountData;
    }

    /**
     * GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridroomsroomidtags).
     */
    public Mono<ServerResponse> getTags(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "get tags");
        return accountData.find(requester.userId(), roomId, TAG_TYPE)
                .map(TagHandler::tagsOf)
                .defaultIfEmpty(JsonNodeFactory.instance.objectNode().set("tags",
                        JsonNodeFactory.instance.objectNode()))
                .flatMap(Responses::ok);
    }

    /**
     * PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3useruseridroomsroomidtagstag).
     */
    public Mono<ServerResponse> putTag(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "add tags");
        String tag = tagName(request.pathVariable("tag"));
        return bodies.object(request).map(TagHandler::checkOrder)
                .flatMap(body -> accountData.update(requester.userId(), roomId, TAG_TYPE, old -> {
                    ObjectNode tags = tagsOf(old);
                    ((ObjectNode) tags.get("tags")).set(tag, body);
                    return tags;
                }))
                .then(Responses.empty());
    }

    /**
     * DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}
     * (https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3useruseridroomsroomidtagstag).
     * Deleting a tag the room does not have succeeds, as in Synapse.
     */
    public Mono<ServerResponse> deleteTag(ServerRequest request, Requester requester) {
        String roomId = RoomId.parse(request.pathVariable("roomId")).toString();
        JoinedRooms.requireSelf(request.pathVariable("userId"), requester.userId(), "remove tags");
        String tag = tagName(request.pathVariable("tag"));
        return accountData.update(requester.userId(), roomId, TAG_TYPE, old -> {
            ObjectNode tags = tagsOf(old);
            ((ObjectNode) tags.get("tags")).remove(tag);
            return tags;
        }).then(Responses.empty());
    }

    /** A fresh {@code {"tags": {...}}} holding the tags of {@code stored} (which may be null or malformed). */
    static ObjectNode tagsOf(JsonNode stored) {
        ObjectNode tags = JsonNodeFactory.instance.objectNode();
        ObjectNode inner = tags.putObject("tags");
        if (stored != null && stored.get("tags") != null && stored.get("tags").isObject()) {
            inner.setAll((ObjectNode) stored.get("tags").deepCopy());
        }
        return tags;
    }

    /** The body with a valid {@code order}: a number in [0, 1] when present (400 M_INVALID_PARAM otherwise). */
    static JsonNode checkOrder(JsonNode body) {
        JsonNode order = body.get("order");
        if (order != null && !order.isNull()) {
            if (!order.isNumber()) {
                throw MatrixException.badJson("order must be a number");
            }
            double value = order.doubleValue();
            if (!(value >= 0 && value <= 1)) {
                throw MatrixException.invalidParam("order must be between 0 and 1");
            }
        }
        return body;
    }

    private static String tagName(String tag) {
        if (tag.isEmpty() || tag.getBytes(StandardCharsets.UTF_8).length > MAX_TAG_BYTES) {
            throw MatrixException.invalidParam("Tag names must be 1 to 255 bytes");
        }
        return tag;
    }
}
