package org.myelin.voip.relay;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the response to each request by 5-tuple and transaction id, so a retransmitted request gets the very same
 * bytes back (RFC 8489 §6.3.1) instead of being processed twice. Entries live 40 s (the UDP retransmission span); the
 * oldest are dropped beyond a fixed count.
 */
final class TransactionCache {

    static final Duration TTL = Duration.ofSeconds(40);

    private record Key(FiveTuple fiveTuple, ByteBuffer transactionId) {
    }

    private record Entry(byte[] response, long expiresAtMillis) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    TransactionCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** The response sent earlier for this transaction, or {@code null}. */
    synchronized byte[] get(FiveTuple fiveTuple, byte[] transactionId) {
        Entry entry = entries.get(new Key(fiveTuple, ByteBuffer.wrap(transactionId)));
        return entry != null && entry.expiresAtMillis() > clock.millis() ? entry.response() : null;
    }

    synchronized void put(FiveTuple fiveTuple, byte[] transactionId, byte[] response) {
        entries.put(new Key(fiveTuple, ByteBuffer.wrap(transactionId.clone())),
                new Entry(response, clock.millis() + TTL.toMillis()));
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<Key, Entry>> oldest = entries.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Drops expired entries; insertion order means they are at the front. */
    synchronized void expire() {
        long now = clock.millis();
        Iterator<Entry> iterator = entries.values().iterator();
        while (iterator.hasNext() && iterator.next().expiresAtMillis() <= now) {
            iterator.remove();
        }
    }
}
