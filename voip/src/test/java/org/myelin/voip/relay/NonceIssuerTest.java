package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NonceIssuerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final NonceIssuer issuer = new NonceIssuer(new byte[32], Duration.ofSeconds(600), clock);

    @Test
    void nonceIsValidUntilItsLifetimeEndsThenStale() {
        String nonce = issuer.issue();
        clock.advance(Duration.ofSeconds(599));
        assertThat(issuer.check(nonce)).isEqualTo(NonceIssuer.Verdict.VALID);
        clock.advance(Duration.ofSeconds(1));
        assertThat(issuer.check(nonce)).isEqualTo(NonceIssuer.Verdict.STALE);
    }

    @Test
    void forgedOrForeignNoncesAreInvalid() {
        String nonce = issuer.issue();
        String extended = "00007fffffff" + nonce.substring(12);
        assertThat(issuer.check(extended)).isEqualTo(NonceIssuer.Verdict.INVALID);
        assertThat(issuer.check("short")).isEqualTo(NonceIssuer.Verdict.INVALID);
        NonceIssuer other = new NonceIssuer(new byte[] {1}, Duration.ofSeconds(600), clock);
        assertThat(other.check(nonce)).isEqualTo(NonceIssuer.Verdict.INVALID);
    }
}
