package org.myelin.clientapi.account;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.myelin.clientapi.auth.ClientAddress;
import org.myelin.clientapi.auth.RateLimiter;
import org.myelin.clientapi.auth.RateLimits;
import org.myelin.clientapi.auth.SecretTokens;
import org.myelin.clientapi.auth.SessionIssuer;
import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.db.account.RegistrationNonceRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Synapse-compatible shared-secret registration (/_synapse/admin/v1/register): the operator fetches a nonce, then
 * posts the account with mac = hex(HMAC-SHA1(secret, nonce NUL username NUL password NUL "admin"|"notadmin")).
 * Works whatever the registration mode; disabled while no shared secret is configured.
 */
@Component
public class SharedSecretRegistrationHandler {

    private static final long NONCE_LIFETIME_MS = 60_000;

    private final ClientApiSettings settings;
    private final JsonBodies bodies;
    private final RegistrationNonceRepository nonces;
    private final AccountCreator creator;
    private final SessionIssuer sessions;
    private final LocalUsers localUsers;
    private final RateLimiter rateLimiter;
    private final Clock clock;

    public SharedSecretRegistrationHandler(ClientApiSettings settings, JsonBodies bodies,
            RegistrationNonceRepository nonces, AccountCreator creator, SessionIssuer sessions, LocalUsers localUsers,
            RateLimits rateLimits, Clock clock) {
        this.settings = settings;
        this.bodies = bodies;
        this.nonces = nonces;
        this.creator = creator;
        this.sessions = sessions;
        this.localUsers = localUsers;
        this.rateLimiter = rateLimits.register();
        this.clock = clock;
    }

    /** GET /_synapse/admin/v1/register — a fresh single-use nonce. */
    public Mono<ServerResponse> nonce(ServerRequest request) {
        requireEnabled();
        String nonce = SecretTokens.opaqueId();
        return nonces.create(nonce, clock.millis() + NONCE_LIFETIME_MS).then(Responses.ok(Map.of("nonce", nonce)));
    }

    /** POST /_synapse/admin/v1/register — creates the account if the MAC proves knowledge of the secret. */
    public Mono<ServerResponse> register(ServerRequest request) {
        requireEnabled();
        rateLimiter.acquire(ClientAddress.of(request));
        return bodies.object(request).flatMap(body -> {
            String nonce = JsonFields.requiredString(body, "nonce");
            String username = JsonFields.requiredString(body, "username");
            String password = JsonFields.requiredString(body, "password");
            String mac = JsonFields.requiredString(body, "mac");
            boolean admin = JsonFields.optionalBoolean(body, "admin", false);
            String localpart = localUsers.newLocalpart(username);
            if (!macMatches(mac, nonce, username, password, admin)) {
                return Mono.error(MatrixException.forbidden("HMAC incorrect"));
            }
            return nonces.consume(nonce, clock.millis())
                    .flatMap(ok -> ok ? creator.create(localpart, password, admin)
                            : Mono.error(MatrixException.invalidParam("Unrecognised or expired nonce")))
                    .flatMap(userId -> sessions.issue(userId, null, null, ClientAddress.of(request), false))
                    .flatMap(issued -> {
                        Map<String, Object> out = issued.toBody();
                        out.put("home_server", localUsers.serverName());
                        return Responses.ok(out);
                    });
        });
    }

    private boolean macMatches(String mac, String nonce, String username, String password, boolean admin) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(settings.sharedSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + username + "\0" + password + "\0" + (admin ? "admin" : "notadmin");
            byte[] expected = hmac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            byte[] given;
            try {
                given = HexFormat.of().parseHex(mac.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(expected, given);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    private void requireEnabled() {
        if (settings.sharedSecret() == null || settings.sharedSecret().isEmpty()) {
            throw MatrixException.forbidden("Shared secret registration is not enabled");
        }
    }
}
