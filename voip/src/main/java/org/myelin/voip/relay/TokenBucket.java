package org.myelin.voip.relay;

/** A byte-rate limiter with a one-second burst, fed by the caller's clock readings. */
final class TokenBucket {

    private final long bytesPerSecond;
    private double tokens;
    private long lastMillis;

    TokenBucket(long bytesPerSecond, long nowMillis) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.lastMillis = nowMillis;
    }

    /** Takes {@code bytes} tokens if that many are available. */
    synchronized boolean tryConsume(int bytes, long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(bytesPerSecond, tokens + (nowMillis - lastMillis) * bytesPerSecond / 1000.0);
            lastMillis = nowMillis;
        }
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }
}
