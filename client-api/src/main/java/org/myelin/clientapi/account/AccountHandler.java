package org.myelin.clientapi.account;

import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.threepid.EmailIdentityStage;
import org.myelin.clientapi.account.threepid.ThreepidValidation;
import org.myelin.clientapi.account.threepid.ValidationPurpose;
import org.myelin.clientapi.auth.AccessTokenAuth;
import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.UserInteractiveAuth;
import org.myelin.clientapi.auth.UserInteractiveAuth.Completed;
import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.TokenRepository;
import org.myelin.db.account.UserRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The account itself: whoami, password change and reset, deactivation. */
@Component
public class AccountHandler {

    /** The UIA session parameter holding the Argon2id hash of a new password. */
    static final String PASSWORD_HASH = "password_hash";

    private final JsonBodies bodies;
    private final UserInteractiveAuth uia;
    private final PasswordStage passwordStage;
    private final PasswordHasher hasher;
    private final UserRepository users;
    private final DeviceRepository devices;
    private final TokenRepository tokens;
    private final ThreepidRepository threepids;
    private final DeviceRemoval removal;
    private final AccessTokenAuth auth;
    private final EmailIdentityStage resetStage;
    private final ThreepidValidation validation;

    public AccountHandler(JsonBodies bodies, UserInteractiveAuth uia, PasswordStage passwordStage,
            PasswordHasher hasher, UserRepository users, DeviceRepository devices, TokenRepository tokens,
            ThreepidRepository threepids, DeviceRemoval removal, AccessTokenAuth auth,
            ThreepidValidation validation) {
        this.bodies = bodies;
        this.uia = uia;
        this.passwordStage = passwordStage;
        this.hasher = hasher;
        this.users = users;
        this.devices = devices;
        this.tokens = tokens;
        this.threepids = threepids;
        this.removal = removal;
        this.auth = auth;
        this.validation = validation;
        this.resetStage = new EmailIdentityStage(validation, ValidationPurpose.PASSWORD);
    }

    /** GET /_matrix/client/v3/account/whoami */
    public Mono<ServerResponse> whoami(ServerRequest request, Requester requester) {
        return Responses.ok(Map.of("user_id", requester.userId(), "device_id", requester.deviceId(),
                "is_guest", requester.guest()));
    }

    /**
     * POST /_matrix/client/v3/account/password — with an access token, needs the current password (UIA); without
     * one, it is a password reset needing the m.login.email.identity stage for an address of the account (only
     * when this server sends mail; otherwise 401 M_MISSING_TOKEN). By default the user's other devices are logged
     * out (after a reset: every device).
     */
    public Mono<ServerResponse> changePassword(ServerRequest request) {
        if (AccessTokenAuth.hasToken(request) || !validation.enabled()) {
            return auth.authenticate(request).flatMap(requester -> requester.guest()
                    ? Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN,
                            "Guest access is not allowed to this endpoint"))
                    : changeOwnPassword(request, requester));
        }
        return bodies.object(request).flatMap(body -> newPasswordHash(body).flatMap(remember -> uia.authenticate(
                new UserInteractiveAuth.Step(request, body, "password_reset", null,
                        List.of(List.of(resetStage.type())), List.of(resetStage), remember))))
                .flatMap(done -> threepids.find("email", done.params().get(EmailIdentityStage.PARAM))
                        .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_THREEPID_NOT_FOUND,
                                "No account has this e-mail address")))
                        .flatMap(owner -> setPassword(owner.userId(), done)
                                .then(JsonFields.optionalBoolean(done.body(), "logout_devices", true)
                                        ? removal.removeAll(owner.userId()) : Mono.empty())))
                .then(Responses.empty());
    }

    private Mono<ServerResponse> changeOwnPassword(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> newPasswordHash(body).flatMap(remember -> uia.authenticate(
                        new UserInteractiveAuth.Step(request, body, "password", requester.userId(),
                                List.of(List.of(passwordStage.type())), List.of(passwordStage), remember)))
                .flatMap(done -> setPassword(requester.userId(), done)
                        .then(JsonFields.optionalBoolean(done.body(), "logout_devices", true)
                                ? logoutOtherDevices(requester) : Mono.empty()))
                .then(Responses.empty()));
    }

    /**
     * The hash of {@code new_password} to keep in the UIA session, so a continuation of the session may leave it
     * out; a request starting a session must have it.
     */
    private Mono<Map<String, String>> newPasswordHash(JsonNode body) {
        String newPassword = UserInteractiveAuth.continues(body) ? JsonFields.optionalString(body, "new_password")
                : JsonFields.requiredString(body, "new_password");
        return newPassword == null ? Mono.just(Map.of())
                : hasher.hash(newPassword).map(hash -> Map.of(PASSWORD_HASH, hash));
    }

    private Mono<Long> setPassword(String userId, Completed done) {
        String hash = done.params().get(PASSWORD_HASH);
        if (hash == null) {
            return Mono.error(MatrixException.missingParam("Missing parameter: new_password"));
        }
        return users.updatePassword(userId, hash);
    }

    private Mono<Void> logoutOtherDevices(Requester requester) {
        return devices.list(requester.userId())
                .map(list -> list.stream().map(d -> d.deviceId()).filter(id -> !id.equals(requester.deviceId()))
                        .toList())
                .flatMap(others -> removal.remove(requester.userId(), others))
                .then(tokens.deleteAccessExcept(requester.userId(), requester.deviceId()))
                .then();
    }

    /**
     * POST /_matrix/client/v3/account/deactivate — needs the password (UIA); every session ends and the account's
     * e-mail addresses are released.
     */
    public Mono<ServerResponse> deactivate(ServerRequest request, Requester requester) {
        return bodies.optionalObject(request).flatMap(body -> reauthenticate(request, body, "deactivate", requester)
                .then(removal.removeAll(requester.userId()))
                .then(threepids.deleteAll(requester.userId()))
                .then(users.deactivate(requester.userId()))
                .then(Responses.ok(Map.of("id_server_unbind_result", "no-support"))));
    }

    /** Runs the m.login.password UIA flow for a sensitive operation of {@code purpose}. */
    public Mono<Completed> reauthenticate(ServerRequest request, JsonNode body, String purpose, Requester requester) {
        return uia.authenticate(new UserInteractiveAuth.Step(request, body, purpose, requester.userId(),
                List.of(List.of(passwordStage.type())), List.of(passwordStage), Map.of()));
    }
}
