package org.myelin.clientapi.push;

import java.time.Duration;

/**
 * How pushes are delivered ({@code myelin.push.*}, docs/configuration.md "Push").
 *
 * @param gatewayTimeout the most one call to a push gateway may take
 * @param retryInitial   the wait after a pusher's first failed delivery, doubled per failure in a row
 * @param retryMax       the longest wait; a notification whose next wait would exceed it is given up
 */
public record PushSettings(Duration gatewayTimeout, Duration retryInitial, Duration retryMax) {

    /** The defaults: 10 s per call, retries from 1 s doubling up to 1 h. */
    public static PushSettings defaults() {
        return new PushSettings(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofHours(1));
    }
}
