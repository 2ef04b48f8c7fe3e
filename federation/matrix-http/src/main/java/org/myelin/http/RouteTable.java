package org.myelin.http;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import reactor.core.publisher.Mono;

/**
 * Collects one API's routes (method and path pattern) into {@link ApiRoutes}. It has no fallback: unmatched
 * requests fall through to {@link MatrixRouter}'s 404/405 answer, after every API's routes.
 */
public final class RouteTable {

    private final List<PathPattern> patterns = new ArrayList<>();
    private RouterFunctions.Builder builder = RouterFunctions.route();

    public RouteTable route(HttpMethod method, String path, HandlerFunction<ServerResponse> handler) {
        patterns.add(PathPatternParser.defaultInstance.parse(path));
        builder = builder.route(RequestPredicates.method(method).and(RequestPredicates.path(path)), handler);
        return this;
    }

    /** Every route added so far; empty routes when none were. */
    public ApiRoutes build() {
        RouterFunction<ServerResponse> router = patterns.isEmpty() ? request -> Mono.empty() : builder.build();
        return new ApiRoutes(router, patterns);
    }
}
