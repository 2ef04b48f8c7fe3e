package org.myelin.clientapi.http;

import java.util.Optional;
import java.util.function.BiFunction;

import org.myelin.clientapi.auth.AccessTokenAuth;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.ApiRoutes;
import org.myelin.http.RouteTable;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Collects every route of the Client-Server API, public or behind an access token. Unknown paths and wrong
 * methods are answered by the shared fallback of {@link org.myelin.http.MatrixRouter}.
 */
public final class ClientRouteTable {

    /** A handler that runs only for an authenticated requester. */
    @FunctionalInterface
    public interface AuthedHandler extends BiFunction<ServerRequest, Requester, Mono<ServerResponse>> {
    }

    /** A handler for a request with or without an access token. */
    @FunctionalInterface
    public interface OptionallyAuthedHandler
            extends BiFunction<ServerRequest, Optional<Requester>, Mono<ServerResponse>> {
    }

    private final AccessTokenAuth auth;
    private final RouteTable table = new RouteTable();

    public ClientRouteTable(AccessTokenAuth auth) {
        this.auth = auth;
    }

    /** A route open to everyone; a v3 route of an endpoint r0.6.1 had also answers under r0 ({@link R0Aliases}). */
    public ClientRouteTable route(HttpMethod method, String path, HandlerFunction<ServerResponse> handler) {
        table.route(method, path, handler);
        R0Aliases.of(method, path).ifPresent(r0 -> table.route(method, r0, handler));
        return this;
    }

    /**
     * A route that first resolves the access token (401 M_MISSING_TOKEN / M_UNKNOWN_TOKEN otherwise). A guest
     * gets 403 M_GUEST_ACCESS_FORBIDDEN unless {@link GuestAccess} lists the route.
     */
    public ClientRouteTable authed(HttpMethod method, String path, AuthedHandler handler) {
        boolean guestAllowed = GuestAccess.allowed(method, path);
        return route(method, path, request -> auth.authenticate(request).flatMap(requester -> {
            if (requester.guest() && !guestAllowed) {
                return Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN,
                        "Guest access is not allowed to this endpoint"));
            }
            return handler.apply(request, requester);
        }));
    }

    /**
     * A route open to everyone that resolves the access token when the request carries one: the handler gets the
     * requester, or nothing without a token; a token that does not resolve is still 401 M_UNKNOWN_TOKEN.
     */
    public ClientRouteTable optionallyAuthed(HttpMethod method, String path, OptionallyAuthedHandler handler) {
        return route(method, path, request -> auth.authenticate(request).map(Optional::of)
                .onErrorResume(e -> e instanceof MatrixException m && m.errCode() == ErrCode.M_MISSING_TOKEN,
                        e -> Mono.just(Optional.empty()))
                .flatMap(requester -> handler.apply(request, requester)));
    }

    /** Every route added so far. */
    public ApiRoutes build() {
        return table.build();
    }
}
