package org.myelin.federation.protocol.auth;

/**
 * Answers whether an event carries a valid signature from a given homeserver. The auth rules need it for
 * {@code join_authorised_via_users_server} (room versions 8+): the event must be validly signed by the server of
 * the authorising user. Key fetching and Ed25519 checks happen outside the pure rules, typically during the
 * signature checks performed on receipt, so the rules receive the answer as a function.
 */
@FunctionalInterface
public interface ServerSignatureVerifier {

    /** True when {@code event} has a valid signature by {@code serverName}. */
    boolean isSignedBy(AuthEvent event, String serverName);
}
