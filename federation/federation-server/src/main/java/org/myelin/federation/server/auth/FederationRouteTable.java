package org.myelin.federation.server.auth;

import java.util.function.BiFunction;

import org.myelin.http.ApiRoutes;
import org.myelin.http.RouteTable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** The server-server API's routes: open ones (keys, version) and those behind an X-Matrix signature. */
public final class FederationRouteTable {

    /** A handler that runs only for a request whose signature verified. */
    @FunctionalInterface
    public interface SignedHandler extends BiFunction<ServerRequest, SignedRequest, Mono<ServerResponse>> {
    }

    private final RequestAuthenticator auth;
    private final RouteTable table = new RouteTable();

    public FederationRouteTable(RequestAuthenticator auth) {
        this.auth = auth;
    }

    public FederationRouteTable open(HttpMethod method, String path, HandlerFunction<ServerResponse> handler) {
        table.route(method, path, handler);
        return this;
    }

    /** A route that first verifies the X-Matrix signature (401 {@code M_UNAUTHORIZED} otherwise). */
    public FederationRouteTable signed(HttpMethod method, String path, SignedHandler handler) {
        table.route(method, path, request -> auth.authenticate(request)
                .flatMap(signed -> handler.apply(request, signed)));
        return this;
    }

    public ApiRoutes build() {
        return table.build();
    }
}
