package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.myelin.clientapi.account.threepid.EmailIdentityStage;
import org.myelin.clientapi.account.threepid.ThreepidValidation;
import org.myelin.clientapi.account.threepid.ValidationPurpose;
import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.SessionIssuer;
import org.myelin.clientapi.auth.UiaStage;
import org.myelin.clientapi.auth.UserInteractiveAuth;
import org.myelin.clientapi.auth.UserInteractiveAuth.Completed;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.http.ClientApiSettings.RegistrationMode;
import org.myelin.db.account.RegistrationTokenRepository;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.ThreepidRepository.Threepid;
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

/**
 * Account registration: POST /register (with UIA; kind=guest goes to {@link GuestAccounts}), GET
 * /register/available, and registration token validity. The UIA session remembers the password's hash and, once
 * the account exists, its user ID: completing the same session again logs in as that user instead of failing with
 * M_USER_IN_USE (as Synapse does for a client retrying a registration whose answer it lost).
 */
@Component
public class RegistrationHandler {

    /** The UIA session parameter naming the user a completed registration created. */
    private static final String REGISTERED = "registered_user_id";

    private final ClientApiSettings settings;
    private final AccountSettings accountSettings;
    private final JsonBodies bodies;
    private final UserInteractiveAuth uia;
    private final AccountCreator creator;
    private final GuestAccounts guests;
    private final SessionIssuer sessions;
    private final RegistrationTokenRepository tokens;
    private final UserRepository users;
    private final ThreepidRepository threepids;
    private final PasswordHasher hasher;
    private final LocalUsers localUsers;
    private final RateLimiter rateLimiter;
    private final DummyStage dummy;
    private final RegistrationTokenStage tokenStage;
    private final EmailIdentityStage emailStage;
    private final Clock clock;

    public RegistrationHandler(ClientApiSettings settings, AccountSettings accountSettings, JsonBodies bodies,
            UserInteractiveAuth uia, AccountCreator creator, GuestAccounts guests, SessionIssuer sessions,
            RegistrationTokenRepository tokens, UserRepository users, ThreepidRepository threepids,
            PasswordHasher hasher, LocalUsers localUsers, RateLimits rateLimits, DummyStage dummy,
            RegistrationTokenStage tokenStage, ThreepidValidation validation, Clock clock) {
        this.settings = settings;
        this.accountSettings = accountSettings;
        this.bodies = bodies;
        this.uia = uia;
        this.creator = creator;
        this.guests = guests;
        this.sessions = sessions;
        this.tokens = tokens;
        this.users = users;
        this.threepids = threepids;
        this.hasher = hasher;
        this.localUsers = localUsers;
        this.rateLimiter = rateLimits.register();
        this.dummy = dummy;
        this.tokenStage = tokenStage;
        this.emailStage = new EmailIdentityStage(validation, ValidationPurpose.REGISTER);
        this.clock = clock;
    }

    /** POST /_matrix/client/v3/register — https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3register */
    public Mono<ServerResponse> register(ServerRequest request) {
        String kind = request.queryParam("kind").orElse("user");
        if (kind.equals("guest")) {
            return guests.register(request);
        }
        if (!kind.equals("user")) {
            return Mono.error(MatrixException.invalidParam("kind must be user or guest"));
        }
        if (settings.registrationMode() == RegistrationMode.CLOSED) {
            return Mono.error(MatrixException.forbidden("Registration has been disabled"));
        }
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.object(request).flatMap(body -> {
            String guestToken = JsonFields.optionalString(body, "guest_access_token");
            Mono<String> guest = guestToken == null ? Mono.just("") : guests.guestOf(guestToken);
            return guest.flatMap(guestId -> register(request, body, guestId.isEmpty() ? null : guestId));
        });
    }

    /** A registration, or with {@code guestId} the upgrade of that guest. */
    private Mono<ServerResponse> register(ServerRequest request, JsonNode body, String guestId) {
        String username = JsonFields.optionalString(body, "username");
        String password = JsonFields.optionalString(body, "password");
        if (password == null && body.has("auth") && !UserInteractiveAuth.continues(body)) {
            // Like Synapse, no account without a password; checked before the stage so no token use is spent.
            return Mono.error(MatrixException.missingParam("Missing parameter: password"));
        }
        String localpart = localpart(username, guestId);
        // A continued session may have registered this very name already: then it answers with that user.
        Mono<Void> available = localpart == null || guestId != null || UserInteractiveAuth.continues(body)
                ? Mono.empty() : creator.requireAvailable(localpart);
        Mono<Map<String, String>> remember = password == null ? Mono.just(Map.of())
                : hasher.hash(password).map(hash -> Map.of(AccountHandler.PASSWORD_HASH, hash));
        return available.then(remember).flatMap(values -> uia.authenticate(new UserInteractiveAuth.Step(request, body,
                        UserInteractiveAuth.REGISTER, null, flows(), stages(), values)))
                .flatMap(done -> {
                    String registered = done.params().get(REGISTERED);
                    return registered != null ? respond(request, done.body(), registered)
                            : create(done, guestId).flatMap(userId -> respond(request, done.body(), userId));
                });
    }

    /** The new account's localpart: the username asked for, which a guest upgrading must leave as it is. */
    private String localpart(String username, String guestId) {
        if (guestId == null) {
            return username == null ? null : localUsers.newLocalpart(username);
        }
        String guestLocalpart = guestId.substring(1, guestId.indexOf(':'));
        if (username != null && !username.toLowerCase(Locale.ROOT).equals(guestLocalpart)) {
            throw MatrixException.forbidden(
                    "Cannot register taken user ID without valid guest credentials for that user");
        }
        return guestLocalpart;
    }

    private Mono<String> create(Completed done, String guestId) {
        String hash = done.params().get(AccountHandler.PASSWORD_HASH);
        if (hash == null) {
            return Mono.error(MatrixException.missingParam("Missing parameter: password"));
        }
        String username = JsonFields.optionalString(done.body(), "username");
        String localpart = localpart(username, guestId);
        Mono<String> account = guestId == null ? creator.createHashed(localpart, hash, false)
                : users.upgradeGuest(guestId, localpart, hash).flatMap(upgraded -> upgraded ? Mono.just(guestId)
                        : Mono.error(MatrixException.forbidden("Invalid guest access token")));
        return account.flatMap(userId -> completeToken(done.params().get(RegistrationTokenStage.PARAM))
                .then(bindEmail(userId, done.params().get(EmailIdentityStage.PARAM)))
                .then(uia.remember(done.sessionId(), Map.of(REGISTERED, userId)))
                .thenReturn(userId));
    }

    private Mono<Void> bindEmail(String userId, String email) {
        if (email == null) {
            return Mono.empty();
        }
        long now = clock.millis();
        return threepids.add(new Threepid("email", email, userId, now, now)).flatMap(added -> added ? Mono.empty()
                : Mono.error(new MatrixException(ErrCode.M_THREEPID_IN_USE, "This e-mail address is already in use")));
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

    /**
     * The flows: the registration token (token mode) or m.login.dummy (open), with m.login.email.identity after
     * it, required when {@code MYELIN_REGISTRATION_REQUIRE_EMAIL} is on and offered as a second flow when this
     * server sends mail.
     */
    private List<List<String>> flows() {
        String first = settings.registrationMode() == RegistrationMode.TOKEN ? tokenStage.type() : null;
        List<String> withEmail = first == null ? List.of(emailStage.type()) : List.of(first, emailStage.type());
        AccountSettings.Email email = accountSettings.email();
        if (email.requiredForRegistration()) {
            return List.of(withEmail);
        }
        List<List<String>> flows = new ArrayList<>();
        flows.add(List.of(first == null ? dummy.type() : first));
        if (email.enabled()) {
            flows.add(withEmail);
        }
        return flows;
    }

    private List<UiaStage> stages() {
        return List.of(tokenStage, dummy, emailStage);
    }
}
