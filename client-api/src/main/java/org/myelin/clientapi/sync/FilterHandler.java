package org.myelin.clientapi.sync;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Uploading and downloading filters (https://spec.matrix.org/v1.19/client-server-api/#filtering).
 */
@Component
public class FilterHandler {

    private final JsonBodies bodies;
    private final StoredFilters filters;

    public FilterHandler(JsonBodies bodies, StoredFilters filters) {
        this.bodies = bodies;
        this.filters = filters;
    }

    /**
     * POST /_matrix/client/v3/user/{userId}/filter
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3useruseridfilter). Only for oneself:
     * 403 M_FORBIDDEN otherwise, as Synapse and Dendrite answer.
     */
    public Mono<ServerResponse> defineFilter(ServerRequest request, Requester requester) {
        String userId = request.pathVariable("userId");
        if (!userId.equals(requester.userId())) {
            return Mono.error(MatrixException.forbidden("Cannot create filters for other users"));
        }
        return bodies.object(request)
                .flatMap(body -> filters.define(userId, body))
                .flatMap(id -> Responses.ok(Map.of("filter_id", id)));
    }

    /**
     * GET /_matrix/client/v3/user/{userId}/filter/{filterId}
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3useruseridfilterfilterid). Another
     * user's filter is 404 M_NOT_FOUND like an unknown one (the spec lists no 403 here; Synapse answers 403), so
     * the answer reveals nothing about other users.
     */
    public Mono<ServerResponse> getFilter(ServerRequest request, Requester requester) {
        String userId = request.pathVariable("userId");
        Mono<ServerResponse> notFound = Mono.error(() -> MatrixException.notFound("No such filter"));
        if (!userId.equals(requester.userId())) {
            return notFound;
        }
        return filters.find(userId, request.pathVariable("filterId"))
                .flatMap(Responses::ok)
                .switchIfEmpty(notFound);
    }
}
