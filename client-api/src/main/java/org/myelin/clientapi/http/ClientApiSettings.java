package org.myelin.clientapi.http;

import java.time.Duration;

/**
 * What the Client-Server API needs to know of the configuration; the homeserver module builds it from
 * {@code myelin.*} properties.
 *
 * @param serverName          this homeserver's server name (the part after ':' in user IDs)
 * @param publicBaseUrl       the URL clients reach this server at, for .well-known
 * @param registrationMode    open, token or closed
 * @param sharedSecret        the admin registration shared secret; empty disables that API
 * @param accessTokenLifetime how long access tokens issued with a refresh token live
 * @param uiaSessionLifetime  how long a user-interactive auth session stays usable
 * @param loginRate           token bucket for login attempts per client address
 * @param registerRate        token bucket for registration attempts per client address
 * @param turnRate            token bucket for TURN credential requests per user
 */
public record ClientApiSettings(
        String serverName,
        String publicBaseUrl,
        RegistrationMode registrationMode,
        String sharedSecret,
        Duration accessTokenLifetime,
        Duration uiaSessionLifetime,
        Rate loginRate,
        Rate registerRate,
        Rate turnRate) {

    /** Who may register. */
    public enum RegistrationMode { OPEN, TOKEN, CLOSED }

    /** A token bucket's refill rate and capacity. */
    public record Rate(double perSecond, int burst) {
    }
}
