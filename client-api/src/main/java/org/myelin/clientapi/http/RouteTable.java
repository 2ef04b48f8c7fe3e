package org.myelin.clientapi.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.myelin.clientapi.auth.AccessTokenAuth;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * Collects every route of the HTTP API, public or behind an access token, and ends with the fallback that
 * answers 405 M_UNRECOGNIZED for a known path with the wrong method and 404 M_UNRECOGNIZED for anything else.
 */
public final class RouteTable {

    /** A handler that runs only for an authenticated requester. */
    @FunctionalInterface
    public interface AuthedHandler extends BiFunction<ServerRequest, Requester, Mono<ServerResponse>> {
    }

    private final AccessTokenAuth auth;
    private final List<PathPattern> patterns = new ArrayList<>();
    private RouterFunctions.Builder builder = RouterFunctions.route();

    public RouteTable(AccessTokenAuth auth) {
        this.auth = auth;
    }

    public RouteTable route(HttpMethod method, String path, HandlerFunction<ServerResponse> handler) {
        patterns.add(PathPatternParser.defaultInstance.parse(path));
        builder = builder.route(RequestPredicates.method(method).and(RequestPredicates.path(path)), handler);
        return this;
    }

    /** A route that first resolves the access token (401 M_MISSING_TOKEN / M_UNKNOWN_TOKEN otherwise). */
    public RouteTable authed(HttpMethod method, String path, AuthedHandler handler) {
        return route(method, path, request -> auth.authenticate(request)
                .flatMap(requester -> handler.apply(request, requester)));
    }

    /** Every route added so far, followed by the 404/405 fallback. */
    public RouterFunction<ServerResponse> build() {
        List<PathPattern> known = List.copyOf(patterns);
        return builder.route(RequestPredicates.all(), request -> {
            PathContainer path = request.requestPath().pathWithinApplication();
            boolean pathKnown = known.stream().anyMatch(p -> p.matches(path));
            return Mono.error(new MatrixException(ErrCode.M_UNRECOGNIZED, pathKnown ? 405 : 404,
                    "Unrecognized request"));
        }).build();
    }
}
