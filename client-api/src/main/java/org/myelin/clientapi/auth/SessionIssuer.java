package org.myelin.clientapi.auth;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.TokenRepository;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Starts a client session after registration or login: creates (or reuses) the device and issues an access token,
 * plus a refresh token when the client asked for one (then the access token expires).
 */
@Component
public class SessionIssuer {

    /** Tokens just issued; refresh fields are null when no refresh token was asked for. */
    public record IssuedTokens(String userId, String deviceId, String accessToken, String refreshToken,
            Long refreshTokenId, Long expiresInMs) {

        /** The fields login, register and refresh responses share. */
        public Map<String, Object> toBody() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user_id", userId);
            body.put("access_token", accessToken);
            body.put("device_id", deviceId);
            if (refreshToken != null) {
                body.put("refresh_token", refreshToken);
                body.put("expires_in_ms", expiresInMs);
            }
            return body;
        }
    }

    private final DeviceRepository devices;
    private final TokenRepository tokens;
    private final ClientApiSettings settings;
    private final Clock clock;

    public SessionIssuer(DeviceRepository devices, TokenRepository tokens, ClientApiSettings settings, Clock clock) {
        this.devices = devices;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
    }

    /** Creates or reuses the device (a new random id when none is given) and issues its tokens. */
    public Mono<IssuedTokens> issue(String userId, String deviceId, String displayName, String ip,
            boolean withRefresh) {
        String device = deviceId == null || deviceId.isEmpty() ? SecretTokens.deviceId() : deviceId;
        long now = clock.millis();
        return devices.upsert(userId, device, displayName, ip, now)
                .then(tokens.inTransaction(issueTokens(userId, device, withRefresh, now)));
    }

    /** New access (+ refresh) tokens for an existing device; call inside a transaction. */
    public Mono<IssuedTokens> issueTokens(String userId, String deviceId, boolean withRefresh, long now) {
        String access = SecretTokens.accessToken();
        if (!withRefresh) {
            return tokens.insertAccess(SecretTokens.hash(access), userId, deviceId, null, null, now)
                    .thenReturn(new IssuedTokens(userId, deviceId, access, null, null, null));
        }
        String refresh = SecretTokens.refreshToken();
        long lifetime = settings.accessTokenLifetime().toMillis();
        return tokens.insertRefresh(SecretTokens.hash(refresh), userId, deviceId, null, now)
                .flatMap(refreshId -> tokens.insertAccess(SecretTokens.hash(access), userId, deviceId, refreshId,
                        now + lifetime, now)
                        .thenReturn(new IssuedTokens(userId, deviceId, access, refresh, refreshId, lifetime)));
    }
}
