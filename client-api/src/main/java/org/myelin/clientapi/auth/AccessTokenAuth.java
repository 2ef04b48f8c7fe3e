package org.myelin.clientapi.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.TokenRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;

import reactor.core.publisher.Mono;

/**
 * Resolves the access token of a request (Authorization: Bearer, or the deprecated access_token query parameter)
 * to a {@link Requester}. No token: 401 M_MISSING_TOKEN. Unknown or revoked: 401 M_UNKNOWN_TOKEN. Expired (issued
 * with a refresh token): 401 M_UNKNOWN_TOKEN with soft_logout, so the client refreshes instead of logging out.
 */
@Component
public class AccessTokenAuth {

    private static final long TOUCH_INTERVAL_MS = 60_000;

    private final TokenRepository tokens;
    private final DeviceRepository devices;
    private final Clock clock;
    private final Map<String, Long> lastTouched = new ConcurrentHashMap<>();

    public AccessTokenAuth(TokenRepository tokens, DeviceRepository devices, Clock clock) {
        this.tokens = tokens;
        this.devices = devices;
        this.clock = clock;
    }

    public Mono<Requester> authenticate(ServerRequest request) {
        String token = tokenOf(request);
        if (token == null) {
            return Mono.error(new MatrixException(ErrCode.M_MISSING_TOKEN, "Missing access token"));
        }
        long now = clock.millis();
        return tokens.findAccess(SecretTokens.hash(token))
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_UNKNOWN_TOKEN,
                        "Unrecognised access token")))
                .flatMap(row -> {
                    if (row.deactivated()) {
                        return Mono.error(new MatrixException(ErrCode.M_UNKNOWN_TOKEN, "Account deactivated"));
                    }
                    if (row.expiresTs() != null && row.expiresTs() <= now) {
                        return Mono.error(new MatrixException(ErrCode.M_UNKNOWN_TOKEN, 401,
                                "Access token has expired", Map.of("soft_logout", true)));
                    }
                    Requester requester = new Requester(row.userId(), row.deviceId(), row.admin(), row.id(),
                            row.guest());
                    return touch(requester, request, now).thenReturn(requester);
                });
    }

    /** Records device activity at most once a minute per device and node. */
    private Mono<Long> touch(Requester requester, ServerRequest request, long now) {
        String key = requester.userId() + "/" + requester.deviceId();
        Long last = lastTouched.get(key);
        if (last != null && now - last < TOUCH_INTERVAL_MS) {
            return Mono.empty();
        }
        lastTouched.put(key, now);
        return devices.touch(requester.userId(), requester.deviceId(), ClientAddress.of(request), now);
    }

    /** Whether the request carries an access token at all (some endpoints behave differently without one). */
    public static boolean hasToken(ServerRequest request) {
        return tokenOf(request) != null;
    }

    private static String tokenOf(ServerRequest request) {
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return request.queryParam("access_token").filter(t -> !t.isEmpty()).orElse(null);
    }
}
