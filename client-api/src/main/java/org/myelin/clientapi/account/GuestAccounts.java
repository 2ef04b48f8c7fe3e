package org.myelin.clientapi.account;

import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.clientapi.auth.SessionIssuer;
import org.myelin.db.account.TokenRepository;
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

/**
 * Guest accounts (spec: client-server-api "Guest Access"): POST /register?kind=guest makes one, without UIA, when
 * {@code MYELIN_GUEST_ACCESS} is on (403 M_GUEST_ACCESS_FORBIDDEN otherwise); a later registration carrying the
 * guest's access token as {@code guest_access_token} upgrades it, keeping the user ID.
 */
@Component
public class GuestAccounts {

    private final AccountSettings settings;
    private final JsonBodies bodies;
    private final AccountCreator creator;
    private final SessionIssuer sessions;
    private final TokenRepository tokens;
    private final RateLimiter rateLimiter;

    public GuestAccounts(AccountSettings settings, JsonBodies bodies, AccountCreator creator, SessionIssuer sessions,
            TokenRepository tokens, RateLimits rateLimits) {
        this.settings = settings;
        this.bodies = bodies;
        this.creator = creator;
        this.sessions = sessions;
        this.tokens = tokens;
        this.rateLimiter = rateLimits.register();
    }

    /**
     * POST /_matrix/client/v3/register?kind=guest: a new guest and its first device. As in Synapse only
     * {@code initial_device_display_name} of the body is used; guests get no refresh token.
     */
    public Mono<ServerResponse> register(ServerRequest request) {
        if (!settings.guestAccess()) {
            return Mono.error(new MatrixException(ErrCode.M_GUEST_ACCESS_FORBIDDEN, "Guest access is disabled"));
        }
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.optionalObject(request).flatMap(body -> {
            String deviceName = JsonFields.optionalString(body, "initial_device_display_name", TextLimits.DEVICE_NAME);
            return creator.createGuest()
                    .flatMap(userId -> sessions.issue(userId, null, deviceName, ClientAddress.of(request), false))
                    .flatMap(issued -> Responses.ok(issued.toBody()));
        });
    }

    /**
     * The guest a {@code guest_access_token} belongs to: 403 M_FORBIDDEN unless it is the live access token of a
     * guest account (as Synapse words it, there are no valid guest credentials for that user otherwise).
     */
    public Mono<String> guestOf(String accessToken) {
        return tokens.findAccess(SecretTokens.hash(accessToken))
                .filter(row -> row.guest() && !row.deactivated())
                .map(TokenRepository.AccessTokenRow::userId)
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden("Invalid guest access token")));
    }
}
