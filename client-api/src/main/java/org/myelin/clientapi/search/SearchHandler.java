package org.myelin.clientapi.search;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.myelin.room.api.ClientSearchApi;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** POST /_matrix/client/v3/search (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3search). */
@Component
public class SearchHandler {

    private final JsonBodies bodies;
    private final ClientSearchApi search;
    private final SearchResponse response;

    public SearchHandler(JsonBodies bodies, ClientSearchApi search, ClientEvents events) {
        this.bodies = bodies;
        this.search = search;
        this.response = new SearchResponse(events);
    }

    public Mono<ServerResponse> search(ServerRequest request, Requester requester) {
        return bodies.object(request)
                .map(body -> SearchRequestParser.parse(body, request.queryParam("next_batch").orElse(null)))
                .flatMap(parsed -> search.search(UserId.parse(requester.userId()), parsed.request())
                        .flatMap(page -> Responses.ok(response.body(page, parsed.groupBy(), requester))));
    }
}
