package org.myelin.clientapi.auth;

import java.time.Clock;

import org.myelin.clientapi.http.ClientApiSettings;
import org.springframework.stereotype.Component;

/** The rate limiters of the account endpoints, one per kind of attempt. */
@Component
public class RateLimits {

    private final RateLimiter login;
    private final RateLimiter register;
    private final RateLimiter turn;

    public RateLimits(ClientApiSettings settings, Clock clock) {
        this.login = new RateLimiter(settings.loginRate(), clock);
        this.register = new RateLimiter(settings.registerRate(), clock);
        this.turn = new RateLimiter(settings.turnRate(), clock);
    }

    /** Login attempts and token refreshes, per client address. */
    public RateLimiter login() {
        return login;
    }

    /** Registration attempts and availability checks, per client address. */
    public RateLimiter register() {
        return register;
    }

    /** TURN credential requests, per user. */
    public RateLimiter turn() {
        return turn;
    }
}
