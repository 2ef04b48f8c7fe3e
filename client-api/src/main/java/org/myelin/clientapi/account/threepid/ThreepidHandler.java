package org.myelin.clientapi.account.threepid;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.myelin.clientapi.account.AccountHandler;
import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.http.ClientApiSettings.RegistrationMode;
import org.myelin.db.account.ThreepidRepository;
import org.myelin.db.account.ThreepidRepository.Threepid;
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

/**
 * The account's e-mail addresses: the three email/requestToken endpoints, GET /account/3pid, /3pid/add (UIA),
 * /3pid/delete, and the identity-server endpoints (/3pid/bind, the deprecated POST /account/3pid, /3pid/unbind),
 * which this server answers without an identity server: it never binds addresses there.
 */
@Component
public class ThreepidHandler {

    private static final String UNBIND_RESULT = "id_server_unbind_result";

    private final JsonBodies bodies;
    private final ThreepidValidation validation;
    private final ThreepidRepository threepids;
    private final AccountHandler accounts;
    private final ClientApiSettings settings;
    private final Clock clock;

    public ThreepidHandler(JsonBodies bodies, ThreepidValidation validation, ThreepidRepository threepids,
            AccountHandler accounts, ClientApiSettings settings, Clock clock) {
        this.bodies = bodies;
        this.validation = validation;
        this.threepids = threepids;
        this.accounts = accounts;
        this.settings = settings;
        this.clock = clock;
    }

    /** POST /_matrix/client/v3/register/email/requestToken */
    public Mono<ServerResponse> requestRegisterToken(ServerRequest request) {
        if (settings.registrationMode() == RegistrationMode.CLOSED) {
            return Mono.error(MatrixException.forbidden("Registration has been disabled"));
        }
        return requestToken(request, ValidationPurpose.REGISTER);
    }

    /** POST /_matrix/client/v3/account/3pid/email/requestToken */
    public Mono<ServerResponse> requestAddToken(ServerRequest request) {
        return requestToken(request, ValidationPurpose.ADD);
    }

    /** POST /_matrix/client/v3/account/password/email/requestToken */
    public Mono<ServerResponse> requestPasswordToken(ServerRequest request) {
        return requestToken(request, ValidationPurpose.PASSWORD);
    }

    private Mono<ServerResponse> requestToken(ServerRequest request, ValidationPurpose purpose) {
        return bodies.object(request)
                .flatMap(body -> validation.requestToken(purpose, body, ClientAddress.of(request)))
                .flatMap(sid -> Responses.ok(Map.of("sid", sid, "submit_url", validation.submitUrl())));
    }

    /** The three msisdn/requestToken endpoints: this server sends no text messages. */
    public Mono<ServerResponse> requestMsisdnToken(ServerRequest request) {
        return Mono.error(new MatrixException(ErrCode.M_THREEPID_MEDIUM_NOT_SUPPORTED,
                "This server does not validate phone numbers"));
    }

    /** GET /_matrix/client/v3/account/3pid */
    public Mono<ServerResponse> list(ServerRequest request, Requester requester) {
        return threepids.list(requester.userId()).flatMap(rows -> Responses.ok(Map.of("threepids",
                rows.stream().map(t -> Map.of("medium", t.medium(), "address", t.address(),
                        "validated_at", t.validatedTs(), "added_at", t.addedTs())).toList())));
    }

    /**
     * POST /_matrix/client/v3/account/3pid/add — after UIA, binds the address a validated session proved:
     * 400 M_THREEPID_AUTH_FAILED without one, 400 M_THREEPID_IN_USE when another account has it meanwhile.
     */
    public Mono<ServerResponse> add(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            credentials(body);
            return accounts.reauthenticate(request, body, "add_threepid", requester)
                    .flatMap(done -> {
                        Credentials creds = credentials(done.body());
                        return validation.validatedAddress(creds.sid(), creds.clientSecret(), ValidationPurpose.ADD);
                    })
                    .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_THREEPID_AUTH_FAILED,
                            "No validated e-mail session found")))
                    .flatMap(address -> {
                        long now = clock.millis();
                        return threepids.add(new Threepid("email", address, requester.userId(), now, now));
                    })
                    .flatMap(added -> added ? Responses.ok(Map.of())
                            : Mono.error(new MatrixException(ErrCode.M_THREEPID_IN_USE,
                                    "This e-mail address is already in use")));
        });
    }

    /** The validation session a /3pid/add names. */
    private record Credentials(String sid, String clientSecret) {
    }

    private static Credentials credentials(JsonNode body) {
        return new Credentials(ThreepidParams.secret(JsonFields.requiredString(body, "sid"), "sid"),
                ThreepidParams.secret(JsonFields.requiredString(body, "client_secret"), "client_secret"));
    }

    /**
     * POST /_matrix/client/v3/account/3pid/delete — removes the address from the account. As in Synapse, an address
     * the account does not have is no error. No identity server knows it from us, hence no-support.
     */
    public Mono<ServerResponse> delete(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            String medium = ThreepidParams.medium(body);
            String address = JsonFields.requiredString(body, "address");
            String stored = medium.equals("email") ? address.strip().toLowerCase(Locale.ROOT) : address;
            return threepids.delete(requester.userId(), medium, stored)
                    .then(Responses.ok(Map.of(UNBIND_RESULT, "no-support")));
        });
    }

    /** POST /_matrix/client/v3/account/3pid/unbind — nothing was bound through us, so no-support (as specified). */
    public Mono<ServerResponse> unbind(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            ThreepidParams.medium(body);
            JsonFields.requiredString(body, "address");
            return Responses.ok(Map.of(UNBIND_RESULT, "no-support"));
        });
    }

    /** POST /_matrix/client/v3/account/3pid/bind — binding goes through an identity server, which we do not use. */
    public Mono<ServerResponse> bind(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            for (String field : List.of("client_secret", "id_server", "id_access_token", "sid")) {
                JsonFields.requiredString(body, field);
            }
            return Mono.error(identityServersUnsupported());
        });
    }

    /** POST /_matrix/client/v3/account/3pid (deprecated: an identity-server bind of three_pid_creds). */
    public Mono<ServerResponse> legacyAdd(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            if (JsonFields.optionalObject(body, "three_pid_creds") == null) {
                return Mono.error(MatrixException.missingParam("Missing parameter: three_pid_creds"));
            }
            return Mono.error(identityServersUnsupported());
        });
    }

    private static MatrixException identityServersUnsupported() {
        return new MatrixException(ErrCode.M_SERVER_NOT_TRUSTED,
                "This server does not use identity servers; add the address with /account/3pid/add");
    }
}
