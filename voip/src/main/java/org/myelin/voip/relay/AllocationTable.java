package org.myelin.voip.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live allocation, with the rules of RFC 8656 that need no socket: one allocation per 5-tuple (437), the per-user
 * quota (486), lifetimes (default, maximum, 0 deletes), permission (300 s) and channel (600 s) lifetimes, the relay
 * port pool and EVEN-PORT reservations (508 when exhausted). Time comes only from the injected {@link Clock}; nothing
 * here starts a thread or opens a socket.
 */
final class AllocationTable {

    static final Duration PERMISSION_LIFETIME = Duration.ofSeconds(300);
    static final Duration CHANNEL_LIFETIME = Duration.ofSeconds(600);
    static final Duration RESERVATION_LIFETIME = Duration.ofSeconds(30);

    private record Reservation(int port, long expiresAtMillis) {
    }

    private final Clock clock;
    private final long defaultLifetimeSeconds;
    private final long maxLifetimeSeconds;
    private final int maxAllocationsPerUser;
    private final long bandwidthLimit;
    private final RelayPortPool ports;
    private final Map<FiveTuple, Allocation> byFiveTuple = new ConcurrentHashMap<>();
    private final Map<String, Integer> perOwner = new HashMap<>();
    private final Map<ByteBuffer, Reservation> reservations = new HashMap<>();
    private final SecureRandom random = new SecureRandom();

    AllocationTable(TurnRelayConfig config, Clock clock) {
        this.clock = clock;
        this.defaultLifetimeSeconds = config.defaultLifetime().toSeconds();
        this.maxLifetimeSeconds = config.maxLifetime().toSeconds();
        this.maxAllocationsPerUser = config.maxAllocationsPerUser();
        this.bandwidthLimit = config.bandwidthLimitBytesPerSecond();
        this.ports = new RelayPortPool(config.relayPortMin(), config.relayPortMax());
    }

    long nowMillis() {
        return clock.millis();
    }

    /** The user a REST username counts against: what follows the expiry and separator. */
    static String ownerOf(String username) {
        int colon = username.indexOf(':');
        return colon < 0 ? username : username.substring(colon + 1);
    }

    Allocation find(FiveTuple fiveTuple) {
        return byFiveTuple.get(fiveTuple);
    }

    int size() {
        return byFiveTuple.size();
    }

    synchronized int allocationsOf(String owner) {
        return perOwner.getOrDefault(owner, 0);
    }

    /** 0 when a new allocation may be made, else 437 (5-tuple in use) or 486 (quota reached). */
    synchronized int admissionError(FiveTuple fiveTuple, String owner) {
        if (byFiveTuple.containsKey(fiveTuple)) {
            return 437;
        }
        return allocationsOf(owner) >= maxAllocationsPerUser ? 486 : 0;
    }

    /**
     * The lifetime granted for a requested one: the request capped at the maximum, and never below the default.
     *
     * @param requestedSeconds the LIFETIME attribute, or {@code null} when absent
     */
    long grantedLifetimeSeconds(Long requestedSeconds) {
        if (requestedSeconds == null) {
            return defaultLifetimeSeconds;
        }
        return Math.max(defaultLifetimeSeconds, Math.min(requestedSeconds, maxLifetimeSeconds));
    }

    /**
     * Records a new allocation whose relay socket is already bound.
     *
     * @return the allocation, or {@code null} when {@link #admissionError} no longer allows it
     */
    synchronized Allocation register(FiveTuple fiveTuple, String username, RelayEndpoint relay,
            InetSocketAddress relayedAddress, ClientSink client, byte[] transactionId, long lifetimeSeconds) {
        String owner = ownerOf(username);
        if (admissionError(fiveTuple, owner) != 0) {
            return null;
        }
        long now = nowMillis();
        TokenBucket bucket = bandwidthLimit > 0 ? new TokenBucket(bandwidthLimit, now) : null;
        Allocation allocation = new Allocation(fiveTuple, username, owner, relay, relayedAddress, client,
                transactionId, bucket, now + lifetimeSeconds * 1000);
        byFiveTuple.put(fiveTuple, allocation);
        perOwner.merge(owner, 1, Integer::sum);
        return allocation;
    }

    /** Sets a new lifetime from now; 0 deletes the allocation. */
    void refresh(Allocation allocation, long lifetimeSeconds) {
        if (lifetimeSeconds == 0) {
            remove(allocation);
        } else {
            allocation.expireAt(nowMillis() + lifetimeSeconds * 1000);
        }
    }

    /** Deletes an allocation, closing its relay socket and returning its port. */
    synchronized void remove(Allocation allocation) {
        if (byFiveTuple.remove(allocation.fiveTuple(), allocation)) {
            perOwner.computeIfPresent(allocation.owner(), (owner, count) -> count > 1 ? count - 1 : null);
            allocation.relay().close();
            ports.release(allocation.relay().port());
        }
    }

    /** Installs or refreshes a permission for 300 s. */
    void permit(Allocation allocation, InetAddress peer) {
        allocation.permit(peer, nowMillis() + PERMISSION_LIFETIME.toMillis());
    }

    /** Binds or refreshes a channel for 600 s, which also installs or refreshes the peer's permission. */
    Allocation.BindOutcome bindChannel(Allocation allocation, int channel, InetSocketAddress peer) {
        long now = nowMillis();
        Allocation.BindOutcome outcome = allocation.bindChannel(channel, peer, now + CHANNEL_LIFETIME.toMillis());
        if (outcome == Allocation.BindOutcome.BOUND) {
            allocation.permit(peer.getAddress(), now + PERMISSION_LIFETIME.toMillis());
        }
        return outcome;
    }

    /**
     * Removes expired allocations (closing their sockets), expired permissions and channels, and lapsed reservations.
     *
     * @return the allocations removed
     */
    synchronized List<Allocation> expire() {
        long now = nowMillis();
        List<Allocation> expired = new ArrayList<>();
        for (Allocation allocation : byFiveTuple.values()) {
            if (allocation.expiresAtMillis() <= now) {
                expired.add(allocation);
            } else {
                allocation.purge(now);
            }
        }
        expired.forEach(this::remove);
        Iterator<Reservation> lapsed = reservations.values().iterator();
        while (lapsed.hasNext()) {
            Reservation reservation = lapsed.next();
            if (reservation.expiresAtMillis() <= now) {
                ports.release(reservation.port());
                lapsed.remove();
            }
        }
        return expired;
    }

    /** Every live allocation, for shutdown. */
    synchronized List<Allocation> all() {
        return List.copyOf(byFiveTuple.values());
    }

    /** Takes a relay port; see {@link RelayPortPool#acquire}. -1 when the range is exhausted (508). */
    int acquirePort(boolean even, boolean withNext) {
        return ports.acquire(even, withNext);
    }

    void releasePort(int port) {
        ports.release(port);
    }

    /** Holds a taken port for a later Allocate carrying the returned 8-byte RESERVATION-TOKEN, for 30 s. */
    synchronized byte[] reserve(int port) {
        byte[] token = new byte[8];
        random.nextBytes(token);
        reservations.put(ByteBuffer.wrap(token), new Reservation(port, nowMillis() + RESERVATION_LIFETIME.toMillis()));
        return token;
    }

    /** The port held for a RESERVATION-TOKEN, now handed over to the caller, or -1 when unknown or lapsed. */
    synchronized int redeem(byte[] token) {
        Reservation reservation = reservations.remove(ByteBuffer.wrap(token));
        if (reservation == null) {
            return -1;
        }
        if (reservation.expiresAtMillis() <= nowMillis()) {
            ports.release(reservation.port());
            return -1;
        }
        return reservation.port();
    }

    /** Releases every allocation and reservation. */
    synchronized void clear() {
        all().forEach(this::remove);
        reservations.values().forEach(reservation -> ports.release(reservation.port()));
        reservations.clear();
    }
}
