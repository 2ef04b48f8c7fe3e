package org.myelin.voip.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void mintsExpiryColonUserIdAndHmacSha1Base64Password() {
        TurnCredentials.Credential credential =
                new TurnCredentials("s3cret", Duration.ofDays(1), clock).mint("@alice:example.org");
        assertThat(credential.username()).isEqualTo("1767312000:@alice:example.org");
        // echo -n 1767312000:@alice:example.org | openssl dgst -sha1 -hmac s3cret -binary | base64
        assertThat(credential.password()).isEqualTo("z/Hfo0m9jbSEtp+o83/O8SZGERQ=");
        assertThat(credential.ttl()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void ttlIsConfigurable() {
        assertThat(new TurnCredentials("s3cret", Duration.ofMinutes(5), clock).mint("@bob:example.org").username())
                .isEqualTo("1767225900:@bob:example.org");
    }

    @Test
    void expiryIsReadBeforeTheFirstColon() {
        assertThat(TurnCredentials.expiryOf("1767312000:@alice:example.org")).isEqualTo(OptionalLong.of(1767312000));
        assertThat(TurnCredentials.expiryOf("1767312000")).isEqualTo(OptionalLong.of(1767312000));
        assertThat(TurnCredentials.expiryOf("alice")).isEmpty();
        assertThat(TurnCredentials.expiryOf(":@alice:example.org")).isEmpty();
    }

    @Test
    void refusesAnEmptySecretOrTtl() {
        assertThatThrownBy(() -> new TurnCredentials("", Duration.ofDays(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TurnCredentials("s", Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
