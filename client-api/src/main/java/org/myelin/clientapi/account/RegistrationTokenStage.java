package org.myelin.clientapi.account;

import java.time.Clock;
import java.util.Map;

import org.myelin.clientapi.auth.UiaStage;
import org.myelin.db.account.RegistrationTokenRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.http.JsonFields;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The m.login.registration_token stage: takes one use of an admin-created token (it becomes "pending") and
 * remembers it in the session, so registration can turn the use into "completed".
 */
@Component
public class RegistrationTokenStage implements UiaStage {

    /** The session parameter holding the redeemed token. */
    public static final String PARAM = "registration_token";

    private final RegistrationTokenRepository tokens;
    private final Clock clock;

    public RegistrationTokenStage(RegistrationTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "m.login.registration_token";
    }

    @Override
    public Mono<Map<String, String>> attempt(JsonNode auth, String userId) {
        String token = JsonFields.optionalString(auth, "token");
        if (token == null || token.isEmpty()) {
            return Mono.error(new StageFailed(ErrCode.M_MISSING_PARAM.name(), "Missing registration token"));
        }
        return tokens.reserve(token, clock.millis()).flatMap(ok -> ok ? Mono.just(Map.of(PARAM, token))
                : Mono.error(new StageFailed(ErrCode.M_FORBIDDEN.name(), "Invalid registration token")));
    }
}
