package org.myelin.voip.relay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.OptionalLong;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.myelin.voip.credentials.TurnCredentials;

/**
 * The server side of STUN long-term credentials (RFC 8489 §9.2) with TURN REST usernames: challenges with 401 and a
 * REALM and NONCE, answers 438 for stale nonces, refuses expired usernames, and checks MESSAGE-INTEGRITY on the raw
 * request bytes with the key MD5(username:realm:base64(HMAC-SHA1(secret, username))).
 */
final class LongTermAuthenticator {

    /** A request that passed authentication: who sent it, and the key to sign the response with. */
    record Authenticated(String username, byte[] key) {
    }

    /** Either an authenticated request or the error response to send instead. */
    record Outcome(Authenticated authenticated, byte[] rejection) {
    }

    private final String realm;
    private final String sharedSecret;
    private final NonceIssuer nonces;
    private final Clock clock;
    private final Runnable onFailure;

    /**
     * @param onFailure called for each request with credentials that do not verify (bad MI, expired username, wrong
     *     realm), for metrics; a first unauthenticated request is a normal challenge and does not count
     */
    LongTermAuthenticator(String realm, String sharedSecret, NonceIssuer nonces, Clock clock, Runnable onFailure) {
        this.realm = realm;
        this.sharedSecret = sharedSecret;
        this.nonces = nonces;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    Outcome authenticate(RawStunMessage raw) {
        int method = StunResponses.method(raw.type());
        byte[] tid = raw.transactionId();
        if (raw.integrityOffset() < 0) {
            return reject(StunResponses.error(method, tid, 401, "Unauthorized", null, challenge()));
        }
        String user = raw.text(Attribute.USERNAME);
        String clientRealm = raw.text(Attribute.REALM);
        String nonce = raw.text(Attribute.NONCE);
        if (user == null || clientRealm == null || nonce == null) {
            return reject(StunResponses.error(method, tid, 400, "Bad Request", null));
        }
        if (nonces.check(nonce) != NonceIssuer.Verdict.VALID) {
            return reject(StunResponses.error(method, tid, 438, "Stale Nonce", null, challenge()));
        }
        OptionalLong expiry = TurnCredentials.expiryOf(user);
        if (!realm.equals(clientRealm) || expiry.isEmpty() || expiry.getAsLong() <= clock.instant().getEpochSecond()) {
            onFailure.run();
            return reject(StunResponses.error(method, tid, 401, "Unauthorized", null, challenge()));
        }
        byte[] key = StunIntegrity.longTermKey(user, realm, TurnCredentials.password(sharedSecret, user));
        if (!raw.integrityMatches(key)) {
            onFailure.run();
            return reject(StunResponses.error(method, tid, 401, "Unauthorized", null, challenge()));
        }
        return new Outcome(new Authenticated(user, key), null);
    }

    private Attribute[] challenge() {
        return new Attribute[] {
            AttributeFactory.createRealmAttribute(realm.getBytes(StandardCharsets.UTF_8)),
            AttributeFactory.createNonceAttribute(nonces.issue().getBytes(StandardCharsets.US_ASCII))
        };
    }

    private static Outcome reject(byte[] response) {
        return new Outcome(null, response);
    }
}
