package org.myelin.clientapi.slidingsync;

import java.time.Duration;

/**
 * Sliding sync's settings (docs/configuration.md "Sync").
 *
 * @param connectionExpiry how long a connection may go unused before its pos answers {@code M_UNKNOWN_POS} and its
 *                         state is deleted (Synapse: a week)
 */
public record SlidingSyncSettings(Duration connectionExpiry) {

    public SlidingSyncSettings {
        if (connectionExpiry.isNegative() || connectionExpiry.isZero()) {
            throw new IllegalArgumentException("the sliding sync connection expiry must be positive");
        }
    }
}
