package org.myelin.federation.server.openid;

import java.time.Clock;
import java.util.Map;

import org.myelin.db.account.OpenIdTokenRepository;
import org.myelin.federation.protocol.crypto.SecretHash;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.http.Responses;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * GET /_matrix/federation/v1/openid/userinfo?access_token=... — an unsigned route: the caller is whatever service
 * the user handed the token to, not necessarily a homeserver. The token is looked up by its SHA-256.
 */
public final class OpenIdRoutes {

    private final OpenIdTokenRepository tokens;
    private final Clock clock;

    private OpenIdRoutes(OpenIdTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public static FederationRouteTable addTo(FederationRouteTable table, OpenIdTokenRepository tokens, Clock clock) {
        return table.open(HttpMethod.GET, "/_matrix/federation/v1/openid/userinfo",
                new OpenIdRoutes(tokens, clock)::userinfo);
    }

    private Mono<ServerResponse> userinfo(ServerRequest request) {
        String token = request.queryParam("access_token").filter(t -> !t.isEmpty())
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: access_token"));
        return tokens.findUser(SecretHash.of(token), clock.millis())
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNKNOWN_TOKEN,
                        "Access token unknown or expired")))
                .flatMap(userId -> Responses.ok(Map.of("sub", userId)));
    }
}
