package org.myelin.homeserver.federation;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

import reactor.core.publisher.Mono;

/**
 * What the federation listener serves: the server-server API ({@code /_matrix/federation/}) and the key server
 * ({@code /_matrix/key/}), plus every other path of the application when {@code MYELIN_FEDERATION_CLIENT_API} is
 * on (one port for a small deployment, as Synapse can). Anything else is 404 M_UNRECOGNIZED, as an unknown path is
 * on the client listener.
 */
final class FederationPaths implements HttpHandler {

    private static final byte[] UNRECOGNIZED = "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final HttpHandler application;
    private final boolean clientApi;

    FederationPaths(HttpHandler application, boolean clientApi) {
        this.application = application;
        this.clientApi = clientApi;
    }

    static boolean isFederationPath(String path) {
        return path.startsWith("/_matrix/federation/") || path.startsWith("/_matrix/key/");
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        if (clientApi || isFederationPath(request.getPath().value())) {
            return application.handle(request, response);
        }
        response.setStatusCode(HttpStatus.NOT_FOUND);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(UNRECOGNIZED)));
    }
}
