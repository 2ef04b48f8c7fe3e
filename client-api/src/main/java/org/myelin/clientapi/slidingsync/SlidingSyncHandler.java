package org.myelin.clientapi.slidingsync;

import java.time.Duration;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * POST /_matrix/client/unstable/org.matrix.simplified_msc3575/sync (MSC4186, as Synapse serves it): the query's
 * {@code pos} and {@code timeout} (ms, capped at five minutes), the body's lists, room subscriptions, conn_id and
 * extensions, handed to {@link SlidingSyncService}. A malformed pos or timeout is 400 M_INVALID_PARAM; an unknown
 * or expired pos 400 M_UNKNOWN_POS.
 */
@Component
public class SlidingSyncHandler {

    /** The unstable path Synapse serves MSC4186 at and clients (Element X, Element Web) call. */
    public static final String PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    /** The flag in /versions' unstable_features. */
    public static final String UNSTABLE_FEATURE = "org.matrix.simplified_msc3575";

    /** The longest a request may wait, whatever the client asks for. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    private final JsonBodies bodies;
    private final SlidingSyncService service;

    public SlidingSyncHandler(JsonBodies bodies, SlidingSyncService service) {
        this.bodies = bodies;
        this.service = service;
    }

    public Mono<ServerResponse> sync(ServerRequest request, Requester requester) {
        SlidingPos pos;
        Duration timeout;
        try {
            pos = request.queryParam("pos").filter(p -> !p.isEmpty()).map(SlidingPos::parse).orElse(null);
            long millis = QueryParams.nonNegativeLong(request, "timeout", 0);
            timeout = millis > MAX_TIMEOUT.toMillis() ? MAX_TIMEOUT : Duration.ofMillis(millis);
        } catch (MatrixException e) {
            return Mono.error(e);
        }
        return bodies.object(request).map(SlidingSyncRequestParser::parse)
                .flatMap(body -> service.sync(requester, body, pos, timeout))
                .flatMap(Responses::ok);
    }
}
