package org.myelin.federation.server.auth;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.myelin.federation.protocol.acl.ServerAcl;
import org.myelin.federation.protocol.crypto.SignatureCheck;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.xmatrix.XMatrixAuthorization;
import org.myelin.federation.server.keys.KeyRing;
import org.myelin.http.JsonBodies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.server.ServerRequest;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * Checks an incoming federation request (server-server API "Request Authentication"): at least one
 * {@code Authorization: X-Matrix} header addressed to this server whose signature over method, URI, origin,
 * destination and body verifies with the origin's key valid now. Failures are {@code 401 M_UNAUTHORIZED};
 * a server the configured lists deny is {@code 403 M_FORBIDDEN}. Signatures are checked on the CPU scheduler.
 */
public final class RequestAuthenticator {

    private final ServerName self;
    private final KeyRing keys;
    private final JsonBodies bodies;
    private final ServerAcl serverAcl;
    private final Scheduler cpu;
    private final Clock clock;

    /** @param serverAcl the configured allow/deny lists of servers, applied to every request */
    public RequestAuthenticator(ServerName self, KeyRing keys, JsonBodies bodies, ServerAcl serverAcl, Scheduler cpu,
                                Clock clock) {
        this.self = self;
        this.keys = keys;
        this.bodies = bodies;
        this.serverAcl = serverAcl;
        this.cpu = cpu;
        this.clock = clock;
    }

    public Mono<SignedRequest> authenticate(ServerRequest request) {
        List<XMatrixAuthorization> headers;
        try {
            headers = request.headers().header(HttpHeaders.AUTHORIZATION).stream()
                    .filter(h -> h.regionMatches(true, 0, "X-Matrix ", 0, 9))
                    .map(XMatrixAuthorization::parse).toList();
        } catch (MatrixException e) {
            return Mono.error(e);
        }
        if (headers.isEmpty()) {
            return Mono.error(new MatrixException(ErrCode.M_UNAUTHORIZED, "Missing X-Matrix Authorization header"));
        }
        ServerName origin = headers.get(0).origin();
        if (headers.stream().anyMatch(h -> !h.origin().equals(origin))) {
            return Mono.error(new MatrixException(ErrCode.M_UNAUTHORIZED, "X-Matrix headers name different origins"));
        }
        if (headers.stream().anyMatch(h -> !h.isAddressedTo(self))) {
            return Mono.error(new MatrixException(ErrCode.M_UNAUTHORIZED, "The request is addressed to another server"));
        }
        if (!serverAcl.allows(origin)) {
            return Mono.error(MatrixException.forbidden("This server does not federate with " + origin));
        }
        Mono<Optional<JsonNode>> body = hasBody(request.method())
                ? bodies.object(request).map(Optional::of) : Mono.just(Optional.empty());
        String uri = uri(request.exchange().getRequest());
        String method = request.method().name();
        return body.flatMap(content -> Flux.fromIterable(headers)
                .concatMap(header -> verified(header, method, uri, content))
                .next()
                .map(header -> new SignedRequest(origin, content))
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNAUTHORIZED,
                        "The X-Matrix signature did not verify with a key of " + origin))));
    }

    private Mono<XMatrixAuthorization> verified(XMatrixAuthorization header, String method, String uri,
                                                Optional<JsonNode> content) {
        return keys.find(header.origin(), header.key(), clock.millis(), true)
                .publishOn(cpu)
                .filter(key -> key.isPresent()
                        && header.verify(method, uri, self, content, key.get()) == SignatureCheck.VALID)
                .map(key -> header);
    }

    private static boolean hasBody(HttpMethod method) {
        return method == HttpMethod.PUT || method == HttpMethod.POST;
    }

    /** The path and query exactly as the sender wrote them, which is what it signed. */
    private static String uri(ServerHttpRequest request) {
        String query = request.getURI().getRawQuery();
        return request.getURI().getRawPath() + (query == null ? "" : "?" + query);
    }
}
