package org.myelin.clientapi.account;

import java.time.Duration;

import org.myelin.clientapi.http.ClientApiSettings.Rate;

/**
 * What the account endpoints need beyond {@link org.myelin.clientapi.http.ClientApiSettings}; the homeserver module
 * builds it from {@code myelin.*} properties (docs/configuration.md "Accounts").
 *
 * @param guestAccess             whether POST /register?kind=guest makes guest accounts
 * @param openIdTokenLifetime     how long an OpenID token from /openid/request_token is valid
 * @param email                   e-mail address validation
 * @param requestTokenRate        token bucket for /requestToken per client address
 * @param requestTokenAddressRate token bucket for /requestToken per e-mail address
 */
public record AccountSettings(
        boolean guestAccess,
        Duration openIdTokenLifetime,
        Email email,
        Rate requestTokenRate,
        Rate requestTokenAddressRate) {

    /**
     * E-mail: {@code enabled} when an SMTP server is configured; {@code requiredForRegistration} makes registration
     * ask for a validated address; {@code tokenLifetime} is how long a mailed token stays valid.
     */
    public record Email(boolean enabled, boolean requiredForRegistration, Duration tokenLifetime) {
    }
}
