package org.myelin.clientapi.thirdparty;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * The third-party lookup endpoints. Protocols are what registered application services bridge, and this server has
 * no application services: {@code /thirdparty/protocols} lists none, a named protocol is unknown (404
 * M_NOT_FOUND), and a lookup by alias or user ID finds no portal (404 M_NOT_FOUND, after the required parameter is
 * checked: 400 M_MISSING_PARAM).
 */
@Component
public class ThirdPartyHandler {

    /** GET /_matrix/client/v3/thirdparty/protocols */
    public Mono<ServerResponse> protocols(ServerRequest request, Requester requester) {
        return Responses.ok(Map.of());
    }

    /** GET /thirdparty/protocol/{protocol}, /thirdparty/location/{protocol} and /thirdparty/user/{protocol} */
    public Mono<ServerResponse> byProtocol(ServerRequest request, Requester requester) {
        return Mono.error(MatrixException.notFound("Unknown protocol"));
    }

    /** GET /_matrix/client/v3/thirdparty/location?alias= */
    public Mono<ServerResponse> locationByAlias(ServerRequest request, Requester requester) {
        return notFound(request, "alias", "No portal rooms were found for this alias");
    }

    /** GET /_matrix/client/v3/thirdparty/user?userid= */
    public Mono<ServerResponse> userByUserId(ServerRequest request, Requester requester) {
        return notFound(request, "userid", "No third-party users were found for this user ID");
    }

    private static Mono<ServerResponse> notFound(ServerRequest request, String parameter, String message) {
        if (request.queryParam(parameter).filter(v -> !v.isEmpty()).isEmpty()) {
            return Mono.error(MatrixException.missingParam("Missing parameter: " + parameter));
        }
        return Mono.error(MatrixException.notFound(message));
    }
}
