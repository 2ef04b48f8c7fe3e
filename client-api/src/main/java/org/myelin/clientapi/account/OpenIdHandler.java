package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.db.account.OpenIdTokenRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * POST /_matrix/client/v3/user/{userId}/openid/request_token (spec: client-server-api "OpenID"): a token the user
 * hands to another service, which exchanges it for the user ID over the server-server userinfo endpoint. It is
 * good for nothing else, and stored only as its SHA-256.
 */
@Component
public class OpenIdHandler {

    private final JsonBodies bodies;
    private final OpenIdTokenRepository tokens;
    private final AccountSettings settings;
    private final LocalUsers localUsers;
    private final Clock clock;

    public OpenIdHandler(JsonBodies bodies, OpenIdTokenRepository tokens, AccountSettings settings,
            LocalUsers localUsers, Clock clock) {
        this.bodies = bodies;
        this.tokens = tokens;
        this.settings = settings;
        this.localUsers = localUsers;
        this.clock = clock;
    }

    public Mono<ServerResponse> requestToken(ServerRequest request, Requester requester) {
        if (!request.pathVariable("userId").equals(requester.userId())) {
            return Mono.error(MatrixException.forbidden("Cannot request tokens for other users"));
        }
        String token = SecretTokens.openIdToken();
        long now = clock.millis();
        long lifetimeMs = settings.openIdTokenLifetime().toMillis();
        return bodies.optionalObject(request)
                .then(tokens.insert(SecretTokens.hash(token), requester.userId(), now + lifetimeMs, now))
                .then(Mono.defer(() -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("access_token", token);
                    body.put("token_type", "Bearer");
                    body.put("matrix_server_name", localUsers.serverName());
                    body.put("expires_in", lifetimeMs / 1000);
                    return Responses.ok(body);
                }));
    }
}
