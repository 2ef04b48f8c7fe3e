package org.myelin.voip.credentials;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks TURN REST credentials (coturn's {@code use-auth-secret} scheme): the username is
 * {@code <expiry-unix-seconds>:<user id>} and the password is the padded standard base64 of
 * HMAC-SHA1(shared secret, username). Pure: time comes from the injected {@link Clock}.
 */
public final class TurnCredentials {

    /** The default credential lifetime, one day, as Synapse and coturn's tools use. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(1);

    private final String sharedSecret;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param sharedSecret the secret shared with the TURN server
     * @param ttl how long minted credentials stay valid; must be positive
     * @param clock the source of the current time
     */
    public TurnCredentials(String sharedSecret, Duration ttl, Clock clock) {
        this.sharedSecret = Objects.requireNonNull(sharedSecret, "sharedSecret");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (sharedSecret.isEmpty()) {
            throw new IllegalArgumentException("the TURN shared secret must not be empty");
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.toSeconds() == 0) {
            throw new IllegalArgumentException("the credential TTL must be at least one second");
        }
    }

    /** A minted credential: what {@code GET /voip/turnServer} returns besides the URIs. */
    public record Credential(String username, String password, Duration ttl) {
    }

    /**
     * Mints a credential for a user.
     *
     * @param userId the Matrix user id, e.g. {@code @alice:example.org}
     */
    public Credential mint(String userId) {
        Objects.requireNonNull(userId, "userId");
        long expiry = clock.instant().getEpochSecond() + ttl.toSeconds();
        String username = expiry + ":" + userId;
        return new Credential(username, password(sharedSecret, username), ttl);
    }

    /** The TURN password for a REST username: base64(HMAC-SHA1(secret, username)), padded standard alphabet. */
    public static String password(String sharedSecret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(sharedSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    /**
     * The expiry (unix seconds) a REST username carries before its first {@code ':'}, or empty when the username is
     * not in that form.
     */
    public static OptionalLong expiryOf(String username) {
        int colon = username.indexOf(':');
        String head = colon < 0 ? username : username.substring(0, colon);
        if (head.isEmpty() || head.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < head.length(); i++) {
            if (!Character.isDigit(head.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(head));
    }
}
