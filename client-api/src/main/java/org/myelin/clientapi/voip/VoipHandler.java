package org.myelin.clientapi.voip;

import java.util.Map;

import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.Responses;
import org.myelin.voip.credentials.TurnOffer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** TURN credentials for VoIP calls. */
@Component
public class VoipHandler {

    private final TurnOffer offer;
    private final RateLimiter rateLimiter;

    public VoipHandler(TurnOffer offer, RateLimits rateLimits) {
        this.offer = offer;
        this.rateLimiter = rateLimits.turn();
    }

    /**
     * GET /_matrix/client/v3/voip/turnServer — https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3voipturnserver
     * MSC4166: 404 M_NOT_FOUND when no TURN server is configured.
     */
    public Mono<ServerResponse> getTurnServer(ServerRequest request, Requester requester) {
        rateLimiter.acquire(requester.userId());
        if (!offer.available()) {
            return Mono.error(MatrixException.notFound("No TURN server is configured"));
        }
        TurnOffer.Offer o = offer.offerFor(requester.userId());
        return Responses.ok(Map.of("username", o.username(), "password", o.password(), "uris", o.uris(),
                "ttl", o.ttlSeconds()));
    }
}
