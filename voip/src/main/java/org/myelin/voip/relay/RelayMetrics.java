package org.myelin.voip.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The relay's Micrometer meters: live allocations, relayed packets and bytes per direction, packets dropped
 * (no permission or channel, bandwidth limit), and authentication failures.
 */
final class RelayMetrics {

    private final Counter packetsToPeer;
    private final Counter bytesToPeer;
    private final Counter packetsToClient;
    private final Counter bytesToClient;
    private final Counter dropped;
    private final Counter authFailures;

    RelayMetrics(MeterRegistry registry, AllocationTable table) {
        Gauge.builder("myelin.turn.allocations", table, AllocationTable::size)
                .description("Live TURN allocations").register(registry);
        packetsToPeer = counter(registry, "myelin.turn.relayed.packets", "to_peer", "Packets relayed");
        bytesToPeer = counter(registry, "myelin.turn.relayed.bytes", "to_peer", "Payload bytes relayed");
        packetsToClient = counter(registry, "myelin.turn.relayed.packets", "to_client", "Packets relayed");
        bytesToClient = counter(registry, "myelin.turn.relayed.bytes", "to_client", "Payload bytes relayed");
        dropped = Counter.builder("myelin.turn.dropped.packets")
                .description("Packets dropped: no permission, no channel or over the bandwidth limit")
                .register(registry);
        authFailures = Counter.builder("myelin.turn.auth.failures")
                .description("Requests whose long-term credentials did not verify").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String direction, String description) {
        return Counter.builder(name).tag("direction", direction).description(description).register(registry);
    }

    void relayedToPeer(int bytes) {
        packetsToPeer.increment();
        bytesToPeer.increment(bytes);
    }

    void relayedToClient(int bytes) {
        packetsToClient.increment();
        bytesToClient.increment(bytes);
    }

    void dropped() {
        dropped.increment();
    }

    void authFailure() {
        authFailures.increment();
    }
}
