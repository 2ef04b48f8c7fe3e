package org.myelin.voip.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One TURN allocation (RFC 8656 §2.2): its 5-tuple, owner, relay socket, lifetime, permissions and channel bindings.
 * Lookups on the data path are lock-free; mutations that must keep channels unique are synchronized.
 */
final class Allocation {

    /** The outcome of a ChannelBind against the uniqueness rules of RFC 8656 §12. */
    enum BindOutcome { BOUND, CHANNEL_TAKEN, PEER_TAKEN }

    /** A channel number bound to a peer transport address until a given time. */
    record ChannelBinding(int number, InetSocketAddress peer, long expiresAtMillis) {
    }

    private final FiveTuple fiveTuple;
    private final String username;
    private final String owner;
    private final RelayEndpoint relay;
    private final InetSocketAddress relayedAddress;
    private final ClientSink client;
    private final byte[] allocateTransactionId;
    private final TokenBucket bandwidth;
    private final Map<InetAddress, Long> permissions = new ConcurrentHashMap<>();
    private final Map<Integer, ChannelBinding> channels = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ChannelBinding> channelsByPeer = new ConcurrentHashMap<>();
    private volatile long expiresAtMillis;

    Allocation(FiveTuple fiveTuple, String username, String owner, RelayEndpoint relay,
            InetSocketAddress relayedAddress, ClientSink client, byte[] allocateTransactionId, TokenBucket bandwidth,
            long expiresAtMillis) {
        this.fiveTuple = fiveTuple;
        this.username = username;
        this.owner = owner;
        this.relay = relay;
        this.relayedAddress = relayedAddress;
        this.client = client;
        this.allocateTransactionId = allocateTransactionId.clone();
        this.bandwidth = bandwidth;
        this.expiresAtMillis = expiresAtMillis;
    }

    FiveTuple fiveTuple() { return fiveTuple; }
    /** The full REST username that created the allocation; later requests must use the same. */
    String username() { return username; }
    /** The user the quota is counted against. */
    String owner() { return owner; }
    RelayEndpoint relay() { return relay; }
    InetSocketAddress relayedAddress() { return relayedAddress; }
    ClientSink client() { return client; }
    long expiresAtMillis() { return expiresAtMillis; }

    boolean isAllocateTransaction(byte[] transactionId) {
        return Arrays.equals(allocateTransactionId, transactionId);
    }

    void expireAt(long millis) {
        expiresAtMillis = millis;
    }

    /** Installs or refreshes the permission for a peer IP (the port is ignored, RFC 8656 §9). */
    void permit(InetAddress peer, long untilMillis) {
        permissions.put(peer, untilMillis);
    }

    boolean permits(InetAddress peer, long nowMillis) {
        Long until = permissions.get(peer);
        return until != null && until > nowMillis;
    }

    /** Binds or refreshes a channel, refusing numbers or peers already bound to something else. */
    synchronized BindOutcome bindChannel(int number, InetSocketAddress peer, long untilMillis) {
        ChannelBinding byNumber = channels.get(number);
        if (byNumber != null && !byNumber.peer().equals(peer)) {
            return BindOutcome.CHANNEL_TAKEN;
        }
        ChannelBinding byPeer = channelsByPeer.get(peer);
        if (byPeer != null && byPeer.number() != number) {
            return BindOutcome.PEER_TAKEN;
        }
        ChannelBinding binding = new ChannelBinding(number, peer, untilMillis);
        channels.put(number, binding);
        channelsByPeer.put(peer, binding);
        return BindOutcome.BOUND;
    }

    /** The peer a live channel is bound to, or {@code null}. */
    InetSocketAddress channelPeer(int number, long nowMillis) {
        ChannelBinding binding = channels.get(number);
        return binding != null && binding.expiresAtMillis() > nowMillis ? binding.peer() : null;
    }

    /** The live channel bound to a peer, or -1. */
    int channelFor(InetSocketAddress peer, long nowMillis) {
        ChannelBinding binding = channelsByPeer.get(peer);
        return binding != null && binding.expiresAtMillis() > nowMillis ? binding.number() : -1;
    }

    /** Drops expired permissions and channel bindings. */
    synchronized void purge(long nowMillis) {
        permissions.values().removeIf(until -> until <= nowMillis);
        channels.values().removeIf(binding -> binding.expiresAtMillis() <= nowMillis);
        channelsByPeer.values().removeIf(binding -> binding.expiresAtMillis() <= nowMillis);
    }

    int permissionCount() {
        return permissions.size();
    }

    int channelCount() {
        return channels.size();
    }

    /** Charges relayed bytes against the bandwidth limit; false means drop the packet. */
    boolean admit(int bytes, long nowMillis) {
        return bandwidth == null || bandwidth.tryConsume(bytes, nowMillis);
    }
}
