package org.myelin.clientapi.auth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.clientapi.http.ClientApiSettings.Rate;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * In-memory token buckets per key (typically a client address). Over the limit, {@link #acquire} throws
 * 429 M_LIMIT_EXCEEDED with {@code retry_after_ms}. Limits are per node: behind a load balancer with N nodes a
 * client may get up to N times the rate.
 */
public final class RateLimiter {

    private static final int MAX_KEYS = 100_000;

    private final Rate rate;
    private final Clock clock;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Rate rate, Clock clock) {
        this.rate = rate;
        this.clock = clock;
    }

    /** Takes one token for {@code key} or throws M_LIMIT_EXCEEDED saying when the next one is due. */
    public void acquire(String key) {
        long now = clock.millis();
        if (buckets.size() > MAX_KEYS) {
            buckets.clear();
        }
        double[] bucket = buckets.computeIfAbsent(key, k -> new double[] {rate.burst(), now});
        synchronized (bucket) {
            double tokens = Math.min(rate.burst(), bucket[0] + (now - bucket[1]) / 1000.0 * rate.perSecond());
            bucket[1] = now;
            if (tokens >= 1) {
                bucket[0] = tokens - 1;
                return;
            }
            bucket[0] = tokens;
            long retryMs = (long) Math.ceil((1 - tokens) / rate.perSecond() * 1000);
            throw MatrixException.limitExceeded(retryMs);
        }
    }
}
