package org.myelin.federation.server.space;

import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.space.SpaceChild;
import org.myelin.federation.protocol.space.SpaceRoom;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.http.Responses;
import org.myelin.room.graph.SpaceSummaries;
import org.myelin.room.graph.SpaceSummaries.Viewer;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /_matrix/federation/v1/hierarchy/{roomId}}
 * (https://spec.matrix.org/v1.19/server-server-api/#get_matrixfederationv1hierarchyroomid): a room this server is
 * in, with its children, not walked further. The asking server sees a room when one of its users is joined or
 * invited, anyone may join or knock, the history is world-readable, or it is restricted and one of its users is in
 * an allowed room; else the root is 404 M_NOT_FOUND and a child is listed in {@code inaccessible_children}. Children
 * this server is not in are left out (their own servers know them). The room's server ACL applies (403 for the
 * root, inaccessible for a child), although the spec leaves it optional here. At most {@link #MAX_CHILDREN}
 * children are summarised, as Synapse does.
 */
final class HierarchyHandler {

    /** The most children of one space summarised per request. */
    static final int MAX_CHILDREN = 50;

    private final SpaceSummaries summaries;
    private final PduChecks checks;

    /** The answer's {@code children} and {@code inaccessible_children}. */
    private record Children(ArrayNode summaries, ArrayNode inaccessible) {
    }

    HierarchyHandler(SpaceSummaries summaries, PduChecks checks) {
        this.summaries = summaries;
        this.checks = checks;
    }

    Mono<ServerResponse> hierarchy(ServerRequest request, SignedRequest signed) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        boolean suggestedOnly = suggestedOnly(request.queryParam("suggested_only").orElse(null));
        ServerName origin = signed.origin();
        return checks.aclAllows(roomId.value(), origin)
                .flatMap(allowed -> allowed ? local(roomId, origin, true)
                        : Mono.error(MatrixException.forbidden("The room's server ACL denies " + origin)))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Unknown room " + roomId)))
                .map(root -> root.suggestedOnly(suggestedOnly))
                .flatMap(root -> children(root, origin).map(children -> {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.set("room", root.toJson());
                    body.set("children", children.summaries());
                    body.set("inaccessible_children", children.inaccessible());
                    return body;
                }))
                .flatMap(Responses::ok);
    }

    /** The room if this server is in it and {@code origin} may preview it. */
    private Mono<SpaceRoom> local(RoomId roomId, ServerName origin, boolean withChildren) {
        return summaries.isLocal(roomId).filter(Boolean::booleanValue)
                .flatMap(local -> summaries.summarise(roomId, Viewer.server(origin), withChildren));
    }

    /** The summaries of the root's children this server is in, and those {@code origin} may not preview. */
    private Mono<Children> children(SpaceRoom root, ServerName origin) {
        ArrayNode children = JsonNodeFactory.instance.arrayNode();
        ArrayNode inaccessible = JsonNodeFactory.instance.arrayNode();
        List<SpaceChild> first = root.children().stream().limit(MAX_CHILDREN).toList();
        return Flux.fromIterable(first).concatMap(child -> {
            RoomId childId = RoomId.parse(child.roomId());
            return summaries.isLocal(childId).filter(Boolean::booleanValue)
                    .flatMap(local -> checks.aclAllows(child.roomId(), origin))
                    .flatMap(allowed -> (allowed ? summaries.summarise(childId, Viewer.server(origin), false)
                            : Mono.<SpaceRoom>empty())
                            .doOnNext(room -> children.add(room.summary().toJson()))
                            .switchIfEmpty(Mono.fromRunnable(() -> inaccessible.add(child.roomId()))));
        }).then(Mono.fromCallable(() -> new Children(children, inaccessible)));
    }

    private static boolean suggestedOnly(String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw MatrixException.invalidParam("suggested_only must be true or false");
    }
}
