package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AllocationTableTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeRelays relays = new FakeRelays();
    private final AllocationTable table = new AllocationTable(
            RelayHarness.config().relayPorts(50000, 50003).maxAllocationsPerUser(2).build(), clock);
    private final InetSocketAddress peer = new InetSocketAddress("198.51.100.7", 5000);

    private static FiveTuple tuple(int clientPort) {
        return new FiveTuple(FiveTuple.Transport.UDP, new InetSocketAddress("203.0.113.5", clientPort),
                new InetSocketAddress("192.0.2.1", 3478));
    }

    private Allocation allocate(FiveTuple fiveTuple, String username, long lifetimeSeconds) throws Exception {
        int port = table.acquirePort(false, false);
        RelayEndpoint relay = relays.bind(port);
        return table.register(fiveTuple, username, relay, new InetSocketAddress("192.0.2.1", port),
                new RecordingSink(false), new byte[12], lifetimeSeconds);
    }

    @Test
    void lifetimeIsTheRequestCappedAtTheMaximumButNeverBelowTheDefault() {
        assertThat(table.grantedLifetimeSeconds(null)).isEqualTo(600);
        assertThat(table.grantedLifetimeSeconds(30L)).isEqualTo(600);
        assertThat(table.grantedLifetimeSeconds(1200L)).isEqualTo(1200);
        assertThat(table.grantedLifetimeSeconds(86_400L)).isEqualTo(3600);
    }

    @Test
    void allocationExpiresAfterItsLifetimeAndRefreshExtendsIt() throws Exception {
        Allocation allocation = allocate(tuple(1), "1:@a:x", 600);
        clock.advance(Duration.ofSeconds(599));
        assertThat(table.expire()).isEmpty();
        table.refresh(allocation, 600);
        clock.advance(Duration.ofSeconds(599));
        assertThat(table.expire()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(table.expire()).containsExactly(allocation);
        assertThat(table.find(tuple(1))).isNull();
        assertThat(relays.bound.get(0).closed).isTrue();
    }

    @Test
    void refreshWithZeroDeletesAndFreesThePort() throws Exception {
        Allocation allocation = allocate(tuple(1), "1:@a:x", 600);
        table.refresh(allocation, 0);
        assertThat(table.size()).isZero();
        assertThat(table.allocationsOf("@a:x")).isZero();
        assertThat(relays.bound.get(0).closed).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(table.acquirePort(false, false)).isNotNegative();
        }
    }

    @Test
    void secondAllocationOnTheSameFiveTupleIs437AndQuotaIs486() throws Exception {
        allocate(tuple(1), "1:@a:x", 600);
        assertThat(table.admissionError(tuple(1), "@a:x")).isEqualTo(437);
        allocate(tuple(2), "1:@a:x", 600);
        assertThat(table.admissionError(tuple(3), "@a:x")).isEqualTo(486);
        assertThat(table.register(tuple(3), "1:@a:x", relays.bind(1), peer, new RecordingSink(false), new byte[12],
                600)).isNull();
        assertThat(table.admissionError(tuple(3), "@b:x")).isZero();
    }

    @Test
    void permissionsLast300Seconds() throws Exception {
        Allocation allocation = allocate(tuple(1), "1:@a:x", 3600);
        table.permit(allocation, peer.getAddress());
        clock.advance(Duration.ofSeconds(299));
        assertThat(allocation.permits(peer.getAddress(), table.nowMillis())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(allocation.permits(peer.getAddress(), table.nowMillis())).isFalse();
        table.expire();
        assertThat(allocation.permissionCount()).isZero();
    }

    @Test
    void channelsLast600SecondsAndRefreshTheirPermission() throws Exception {
        Allocation allocation = allocate(tuple(1), "1:@a:x", 3600);
        assertThat(table.bindChannel(allocation, 0x4001, peer)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(allocation.permits(peer.getAddress(), table.nowMillis())).isTrue();
        clock.advance(Duration.ofSeconds(599));
        assertThat(allocation.channelPeer(0x4001, table.nowMillis())).isEqualTo(peer);
        assertThat(allocation.channelFor(peer, table.nowMillis())).isEqualTo(0x4001);
        clock.advance(Duration.ofSeconds(1));
        assertThat(allocation.channelPeer(0x4001, table.nowMillis())).isNull();
        assertThat(allocation.channelFor(peer, table.nowMillis())).isEqualTo(-1);
        table.expire();
        assertThat(allocation.channelCount()).isZero();
    }

    @Test
    void channelNumbersAndPeersAreBoundOneToOne() throws Exception {
        Allocation allocation = allocate(tuple(1), "1:@a:x", 3600);
        InetSocketAddress otherPeer = new InetSocketAddress("198.51.100.8", 5000);
        assertThat(table.bindChannel(allocation, 0x4001, peer)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(table.bindChannel(allocation, 0x4001, peer)).isEqualTo(Allocation.BindOutcome.BOUND);
        assertThat(table.bindChannel(allocation, 0x4001, otherPeer))
                .isEqualTo(Allocation.BindOutcome.CHANNEL_TAKEN);
        assertThat(table.bindChannel(allocation, 0x4002, peer)).isEqualTo(Allocation.BindOutcome.PEER_TAKEN);
        assertThat(table.bindChannel(allocation, 0x4002, new InetSocketAddress("198.51.100.7", 5001)))
                .isEqualTo(Allocation.BindOutcome.BOUND);
    }

    @Test
    void exhaustedPortRangeYieldsNoPort() {
        for (int i = 0; i < 4; i++) {
            assertThat(table.acquirePort(false, false)).isBetween(50000, 50003);
        }
        assertThat(table.acquirePort(false, false)).isEqualTo(-1);
    }

    @Test
    void evenPortReservationIsRedeemedOnceAndLapsesAfter30Seconds() {
        int port = table.acquirePort(true, true);
        assertThat(port % 2).isZero();
        byte[] token = table.reserve(port + 1);
        assertThat(table.redeem(token)).isEqualTo(port + 1);
        assertThat(table.redeem(token)).isEqualTo(-1);
        byte[] lapsing = table.reserve(port + 1);
        clock.advance(Duration.ofSeconds(30));
        assertThat(table.redeem(lapsing)).isEqualTo(-1);
    }
}
