package org.myelin.clientapi.account;

import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.PasswordHasher;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.UserInteractiveAuth;
import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.TokenRepository;
import org.myelin.db.account.UserRepository;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The account itself: whoami, password change, deactivation. */
@Component
public class AccountHandler {

    private final JsonBodies bodies;
    private final UserInteractiveAuth uia;
    private final PasswordStage passwordStage;
    private final PasswordHasher hasher;
    private final UserRepository users;
    private final DeviceRepository devices;
    private final TokenRepository tokens;
    private final DeviceRemoval removal;

    public AccountHandler(JsonBodies bodies, UserInteractiveAuth uia, PasswordStage passwordStage,
            PasswordHasher hasher, UserRepository users, DeviceRepository devices, TokenRepository tokens,
            DeviceRemoval removal) {
        this.bodies = bodies;
        this.uia = uia;
        this.passwordStage = passwordStage;
        this.hasher = hasher;
        this.users = users;
        this.devices = devices;
        this.tokens = tokens;
        this.removal = removal;
    }

    /** GET /_matrix/client/v3/account/whoami */
    public Mono<ServerResponse> whoami(ServerRequest request, Requester requester) {
        return Responses.ok(Map.of("user_id", requester.userId(), "device_id", requester.deviceId(),
                "is_guest", false));
    }

    /**
     * POST /_matrix/client/v3/account/password — needs the current password (UIA). By default the user's other
     * devices are logged out; this session stays.
     */
    public Mono<ServerResponse> changePassword(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            String newPassword = JsonFields.requiredString(body, "new_password");
            boolean logoutDevices = JsonFields.optionalBoolean(body, "logout_devices", true);
            return reauthenticate(body, "password", requester)
                    .then(hasher.hash(newPassword))
                    .flatMap(hash -> users.updatePassword(requester.userId(), hash))
                    .then(logoutDevices ? logoutOtherDevices(requester) : Mono.empty())
                    .then(Responses.empty());
        });
    }

    private Mono<Void> logoutOtherDevices(Requester requester) {
        return devices.list(requester.userId())
                .map(list -> list.stream().map(d -> d.deviceId()).filter(id -> !id.equals(requester.deviceId()))
                        .toList())
                .flatMap(others -> removal.remove(requester.userId(), others))
                .then(tokens.deleteAccessExcept(requester.userId(), requester.deviceId()))
                .then();
    }

    /** POST /_matrix/client/v3/account/deactivate — needs the password (UIA); every session ends. */
    public Mono<ServerResponse> deactivate(ServerRequest request, Requester requester) {
        return bodies.optionalObject(request).flatMap(body -> reauthenticate(body, "deactivate", requester)
                .then(removal.removeAll(requester.userId()))
                .then(users.deactivate(requester.userId()))
                .then(Responses.ok(Map.of("id_server_unbind_result", "no-support"))));
    }

    /** Runs the m.login.password UIA flow for a sensitive operation of {@code purpose}. */
    public Mono<Void> reauthenticate(JsonNode body, String purpose, Requester requester) {
        return uia.authenticate(body, purpose, requester.userId(), List.of(List.of(passwordStage.type())),
                List.of(passwordStage)).then();
    }
}
