package org.myelin.federation.protocol.push;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled word-bounded matchers for display names, shared by every evaluation: a room's members keep their names
 * for many events. Bounded: past {@link #MAX} names the cache starts over.
 */
final class DisplayNames {

    static final int MAX = 100_000;
    private static final Map<String, Glob> CACHE = new ConcurrentHashMap<>();

    private DisplayNames() {
    }

    static Glob glob(String displayName) {
        Glob glob = CACHE.get(displayName);
        if (glob == null) {
            if (CACHE.size() >= MAX) {
                CACHE.clear();
            }
            glob = Glob.wordsLiteral(displayName);
            CACHE.put(displayName, glob);
        }
        return glob;
    }
}
