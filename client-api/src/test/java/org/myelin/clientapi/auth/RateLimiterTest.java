package org.myelin.clientapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.http.ClientApiSettings.Rate;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {

        private long millis = 1_700_000_000_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MutableClock clock = new MutableClock();

    @Test
    void burstShouldBeAllowedAndTheNextAttemptRefused() {
        RateLimiter limiter = new RateLimiter(new Rate(0.5, 3), clock);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("1.2.3.4");
        }
        MatrixException e = catchThrowableOfType(MatrixException.class, () -> limiter.acquire("1.2.3.4"));
        assertThat(e.errCode()).isEqualTo(ErrCode.M_LIMIT_EXCEEDED);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.extras()).containsEntry("retry_after_ms", 2000L);
    }

    @Test
    void retryAfterShouldShrinkAsTimePasses() {
        RateLimiter limiter = new RateLimiter(new Rate(0.5, 1), clock);
        limiter.acquire("k");
        clock.advance(1500);
        MatrixException e = catchThrowableOfType(MatrixException.class, () -> limiter.acquire("k"));
        assertThat(e.extras()).containsEntry("retry_after_ms", 500L);
    }

    @Test
    void tokensShouldRefillAtTheConfiguredRate() {
        RateLimiter limiter = new RateLimiter(new Rate(2, 1), clock);
        limiter.acquire("k");
        clock.advance(400);
        assertThat(catchThrowableOfType(MatrixException.class, () -> limiter.acquire("k"))).isNotNull();
        clock.advance(200);
        assertThatCode(() -> limiter.acquire("k")).doesNotThrowAnyException();
    }

    @Test
    void refillShouldNeverExceedTheBurst() {
        RateLimiter limiter = new RateLimiter(new Rate(1, 2), clock);
        clock.advance(3_600_000);
        limiter.acquire("k");
        limiter.acquire("k");
        assertThat(catchThrowableOfType(MatrixException.class, () -> limiter.acquire("k"))).isNotNull();
    }

    @Test
    void refusedAttemptsShouldNotPushTheRetryTimeFurtherOut() {
        RateLimiter limiter = new RateLimiter(new Rate(1, 1), clock);
        limiter.acquire("k");
        for (int i = 0; i < 5; i++) {
            assertThat(catchThrowableOfType(MatrixException.class, () -> limiter.acquire("k"))).isNotNull();
        }
        clock.advance(1000);
        assertThatCode(() -> limiter.acquire("k")).doesNotThrowAnyException();
    }

    @Test
    void keysShouldHaveSeparateBuckets() {
        RateLimiter limiter = new RateLimiter(new Rate(0.1, 1), clock);
        limiter.acquire("a");
        assertThatCode(() -> limiter.acquire("b")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(MatrixException.class, () -> limiter.acquire("a"))).isNotNull();
    }
}
