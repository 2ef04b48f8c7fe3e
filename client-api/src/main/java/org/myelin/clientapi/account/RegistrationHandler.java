package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.SessionIssuer;
import org.myelin.clientapi.auth.UiaStage;
import org.myelin.clientapi.auth.UserInteractiveAuth;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.http.ClientApiSettings.RegistrationMode;
import org.myelin.db.account.RegistrationTokenRepository;
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

/** Account registration: POST /register (with UIA), GET /register/available, and registration token validity. */
@Component
public class RegistrationHandler {

    private final ClientApiSettings settings;
    private final JsonBodies bodies;
    private final UserInteractiveAuth uia;
    private final AccountCreator creator;
    private final SessionIssuer sessions;
    private final RegistrationTokenRepository tokens;
    private final LocalUsers localUsers;
    private final RateLimiter rateLimiter;
    private final DummyStage dummy;
    private final RegistrationTokenStage tokenStage;
    private final Clock clock;

    public RegistrationHandler(ClientApiSettings settings, JsonBodies bodies, UserInteractiveAuth uia,
            AccountCreator creator, SessionIssuer sessions, RegistrationTokenRepository tokens,
            LocalUsers localUsers, RateLimits rateLimits, DummyStage dummy,
            RegistrationTokenStage tokenStage, Clock clock) {
        this.settings = settings;
        this.bodies = bodies;
        this.uia = uia;
        this.creator = creator;
        this.sessions = sessions;
        this.tokens = tokens;
        this.localUsers = localUsers;
        this.rateLimiter = rateLimits.register();
        this.clock = clock;
        this.dummy = dummy;
        this.tokenStage = tokenStage;
    }

    /** POST /_matrix/client/v3/register — https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3register */
    public Mono<ServerResponse> register(ServerRequest request) {
        if ("guest".equals(request.queryParam("kind").orElse("user"))) {
            return Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN, "Guest access is disabled"));
        }
        if (settings.registrationMode() == RegistrationMode.CLOSED) {
            return Mono.error(MatrixException.forbidden("Registration has been disabled"));
        }
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.object(request).flatMap(body -> {
            String username = JsonFields.optionalString(body, "username");
            String password = JsonFields.optionalString(body, "password");
            if (password == null && body.has("auth")) {
                // Like Synapse, no account without a password; checked before the stage so no token use is spent.
                return Mono.error(MatrixException.missingParam("Missing parameter: password"));
            }
            String localpart = username == null ? null : localUsers.newLocalpart(username);
            Mono<Void> available = localpart == null ? Mono.empty() : creator.requireAvailable(localpart);
            return available.then(uia.authenticate(body, "register", null, flows(), stages()))
                    .flatMap(done -> creator.create(localpart, password, false)
                            .flatMap(userId -> completeToken(done.params().get(RegistrationTokenStage.PARAM))
                                    .then(respond(request, body, userId))));
        });
    }

    private Mono<ServerResponse> respond(ServerRequest request, JsonNode body, String userId) {
        if (JsonFields.optionalBoolean(body, "inhibit_login", false)) {
            return Responses.ok(Map.of("user_id", userId));
        }
        return sessions.issue(userId, JsonFields.optionalString(body, "device_id"),
                        JsonFields.optionalString(body, "initial_device_display_name", TextLimits.DEVICE_NAME),
                        ClientAddress.of(request),
                        JsonFields.optionalBoolean(body, "refresh_token", false))
                .flatMap(issued -> Responses.ok(issued.toBody()));
    }

    private Mono<Long> completeToken(String token) {
        return token == null ? Mono.empty() : tokens.complete(token);
    }

    /** GET /_matrix/client/v3/register/available — whether a username is free. */
    public Mono<ServerResponse> available(ServerRequest request) {
        rateLimiter.acquire(ClientAddress.of(request));
        String username = request.queryParam("username")
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: username"));
        String localpart = localUsers.newLocalpart(username);
        return creator.requireAvailable(localpart).then(Responses.ok(Map.of("available", true)));
    }

    /** GET /_matrix/client/v1/register/m.login.registration_token/validity */
    public Mono<ServerResponse> tokenValidity(ServerRequest request) {
        if (settings.registrationMode() != RegistrationMode.TOKEN) {
            return Mono.error(MatrixException.forbidden("Registration tokens are not in use on this server"));
        }
        rateLimiter.acquire(ClientAddress.of(request));
        String token = request.queryParam("token")
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: token"));
        return tokens.isValid(token, clock.millis())
                .flatMap(valid -> Responses.ok(Map.of("valid", valid)));
    }

    private List<List<String>> flows() {
        return settings.registrationMode() == RegistrationMode.TOKEN
                ? List.of(List.of(tokenStage.type()))
                : List.of(List.of(dummy.type()));
    }

    private List<UiaStage> stages() {
        return settings.registrationMode() == RegistrationMode.TOKEN ? List.of(tokenStage) : List.of(dummy);
    }
}
