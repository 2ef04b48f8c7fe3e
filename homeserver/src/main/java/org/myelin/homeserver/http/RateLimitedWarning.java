package org.myelin.homeserver.http;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/** One kind of warning, logged at most once a minute with the number of occurrences suppressed since the last. */
final class RateLimitedWarning {

    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final String message;
    private final AtomicLong nextAllowed = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedWarning(Logger log, String message) {
        this.log = log;
        this.message = message;
    }

    void warn() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if (now - next >= 0 && nextAllowed.compareAndSet(next, now + INTERVAL_NANOS)) {
            log.warn("{} ({} more suppressed in the last minute)", message, suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
