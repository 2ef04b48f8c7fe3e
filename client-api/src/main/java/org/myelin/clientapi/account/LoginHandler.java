package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.clientapi.auth.SessionIssuer;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.TokenRepository;
import org.myelin.db.account.UserRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Sessions: GET/POST /login, POST /refresh, POST /logout and /logout/all. */
@Component
public class LoginHandler {

    private static final String PASSWORD = "m.login.password";

    private final JsonBodies bodies;
    private final UserRepository users;
    private final DeviceRemoval removal;
    private final TokenRepository tokens;
    private final PasswordHasher hasher;
    private final SessionIssuer sessions;
    private final LocalUsers localUsers;
    private final ThreepidRepository threepids;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    public LoginHandler(JsonBodies bodies, UserRepository users, DeviceRemoval removal, TokenRepository tokens,
            PasswordHasher hasher, SessionIssuer sessions, LocalUsers localUsers, ThreepidRepository threepids,
            RateLimits rateLimits, Clock clock) {
        this.bodies = bodies;
        this.users = users;
        this.removal = removal;
        this.tokens = tokens;
        this.hasher = hasher;
        this.sessions = sessions;
        this.localUsers = localUsers;
        this.threepids = threepids;
        this.rateLimiter = rateLimits.login();
        this.clock = clock;
    }

    /** GET /_matrix/client/v3/login — the login types this server accepts. */
    public Mono<ServerResponse> loginFlows(ServerRequest request) {
        return Responses.ok(Map.of("flows", List.of(Map.of("type", PASSWORD))));
    }

    /** POST /_matrix/client/v3/login — https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3login */
    public Mono<ServerResponse> login(ServerRequest request) {
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.object(request).flatMap(body -> {
            String type = JsonFields.requiredString(body, "type");
            if (!PASSWORD.equals(type)) {
                return Mono.error(new MatrixException(ErrCode.M_UNKNOWN, "Unknown login type " + type));
            }
            String password = JsonFields.requiredString(body, "password");
            return userIdOf(body).flatMap(user -> {
                String userId = user.orElse(null);
                Mono<Boolean> valid = userId == null ? hasher.verify(password, null)
                        : users.find(userId).flatMap(u -> u.deactivated()
                                ? Mono.error(new MatrixException(ErrCode.M_USER_DEACTIVATED, "Account deactivated"))
                                : hasher.verify(password, u.passwordHash()))
                                .switchIfEmpty(hasher.verify(password, null));
                return valid.flatMap(ok -> ok ? sessions.issue(userId, JsonFields.optionalString(body, "device_id"),
                                        JsonFields.optionalString(body, "initial_device_display_name",
                                                TextLimits.DEVICE_NAME),
                                        ClientAddress.of(request),
                                        JsonFields.optionalBoolean(body, "refresh_token", false))
                                : Mono.error(MatrixException.forbidden("Invalid username or password")));
            }).flatMap(issued -> {
                Map<String, Object> out = issued.toBody();
                out.put("home_server", localUsers.serverName());
                return Responses.ok(out);
            });
        });
    }

    /**
     * The local user the login names: by user ID or localpart ({@code m.id.user}, or the deprecated {@code user}),
     * or by an e-mail address of the account ({@code m.id.thirdparty}); empty when there is none.
     */
    private Mono<Optional<String>> userIdOf(JsonNode body) {
        JsonNode identifier = JsonFields.optionalObject(body, "identifier");
        if (identifier != null && "m.id.thirdparty".equals(JsonFields.optionalString(identifier, "type"))) {
            String medium = JsonFields.requiredString(identifier, "medium");
            String address = JsonFields.requiredString(identifier, "address");
            String stored = medium.equals("email") ? address.strip().toLowerCase(Locale.ROOT) : address;
            return threepids.find(medium, stored).map(t -> Optional.of(t.userId())).defaultIfEmpty(Optional.empty());
        }
        return Mono.just(Optional.ofNullable(localUsers.resolve(userOf(body))));
    }

    private static String userOf(JsonNode body) {
        JsonNode identifier = JsonFields.optionalObject(body, "identifier");
        if (identifier == null) {
            String legacy = JsonFields.optionalString(body, "user");
            if (legacy == null) {
                throw MatrixException.missingParam("Missing parameter: identifier");
            }
            return legacy;
        }
        String idType = JsonFields.requiredString(identifier, "type");
        if (!"m.id.user".equals(idType)) {
            throw new MatrixException(ErrCode.M_UNKNOWN, "Unsupported identifier type " + idType);
        }
        return JsonFields.requiredString(identifier, "user");
    }

    /** POST /_matrix/client/v3/refresh — swaps a refresh token for new tokens; the old pair stops working. */
    public Mono<ServerResponse> refresh(ServerRequest request) {
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.object(request).flatMap(body -> {
            String refresh = JsonFields.requiredString(body, "refresh_token");
            long now = clock.millis();
            Mono<SessionIssuer.IssuedTokens> work = tokens.findRefreshForUpdate(SecretTokens.hash(refresh))
                    .filter(row -> row.nextTokenId() == null && (row.expiresTs() == null || row.expiresTs() > now))
                    .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNKNOWN_TOKEN,
                            "Unknown or already used refresh token")))
                    .flatMap(row -> sessions.issueTokens(row.userId(), row.deviceId(), true, now)
                            .flatMap(issued -> tokens.rotate(row.id(), issued.refreshTokenId()).thenReturn(issued)));
            return tokens.inTransaction(work).flatMap(issued -> Responses.ok(Map.of(
                    "access_token", issued.accessToken(),
                    "refresh_token", issued.refreshToken(),
                    "expires_in_ms", issued.expiresInMs())));
        });
    }

    /** POST /_matrix/client/v3/logout — ends this session: the device, its tokens and its keys are deleted. */
    public Mono<ServerResponse> logout(ServerRequest request, Requester requester) {
        return removal.remove(requester.userId(), List.of(requester.deviceId())).then(Responses.empty());
    }

    /** POST /_matrix/client/v3/logout/all — deletes every device and token of the user. */
    public Mono<ServerResponse> logoutAll(ServerRequest request, Requester requester) {
        return removal.removeAll(requester.userId()).then(Responses.empty());
    }
}
