package org.myelin.federation.protocol.auth;

import java.util.Objects;

/**
 * The outcome of checking one event against the authorisation rules. Rejection is an ordinary outcome in federation,
 * so it is a value rather than an exception; a client-facing boundary maps it to 403 {@code M_FORBIDDEN}.
 *
 * @param allowed whether the event passes the rules
 * @param rule    the rule that decided the outcome
 * @param reason  a human-readable explanation naming the rule, for logs and error bodies
 */
public record AuthResult(boolean allowed, AuthRule rule, String reason) {

    public AuthResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    /** The event is allowed by {@code rule}. */
    public static AuthResult allow(AuthRule rule) {
        return new AuthResult(true, rule, "allowed by " + rule.id());
    }

    /** The event is rejected by {@code rule}, for the given reason. */
    public static AuthResult reject(AuthRule rule, String reason) {
        return new AuthResult(false, rule, "rejected by " + rule.id() + ": " + reason);
    }
}
