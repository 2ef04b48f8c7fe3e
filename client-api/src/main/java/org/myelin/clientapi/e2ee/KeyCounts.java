package org.myelin.clientapi.e2ee;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a device's one-time key counts are reported ({@code one_time_key_counts}, {@code device_one_time_keys_count}). */
final class KeyCounts {

    /** The one algorithm clients upload one-time keys of. */
    static final String SIGNED_CURVE25519 = "signed_curve25519";

    private KeyCounts() {
    }

    /**
     * The counts with {@code signed_curve25519} present even at 0. NOTSPEC: the spec lets an absent algorithm mean
     * zero; Synapse always names this one, and clients that read an absent count as "unknown" then upload keys.
     */
    static Map<String, Long> withDefaults(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>(counts);
        out.putIfAbsent(SIGNED_CURVE25519, 0L);
        return out;
    }
}
