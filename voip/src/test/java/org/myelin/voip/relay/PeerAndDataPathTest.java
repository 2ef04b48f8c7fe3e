package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.DataAttribute;
import org.ice4j.attribute.XorPeerAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Permissions, channels, the SSRF peer policy and the relayed data in both directions. */
class PeerAndDataPathTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.7", 5000);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress("198.51.100.8", 6000);

    private final RelayHarness relay = new RelayHarness();

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.1.1",
        "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1"})
    void internalPeersAreRefusedByDefault(String address) {
        assertThat(new PeerAddressPolicy(List.of()).permits(RelayHarness.address(address))).isFalse();
    }

    @Test
    void publicPeersAreAllowedAndTheAllowListOpensInternalRanges() {
        PeerAddressPolicy strict = new PeerAddressPolicy(List.of());
        assertThat(strict.permits(RelayHarness.address("198.51.100.7"))).isTrue();
        assertThat(strict.permits(RelayHarness.address("2001:db8::1"))).isTrue();
        PeerAddressPolicy tests = new PeerAddressPolicy(List.of("127.0.0.0/8", "10.1.0.0/16"));
        assertThat(tests.permits(RelayHarness.address("127.0.0.1"))).isTrue();
        assertThat(tests.permits(RelayHarness.address("10.1.200.1"))).isTrue();
        assertThat(tests.permits(RelayHarness.address("10.2.0.1"))).isFalse();
    }

    @Test
    void createPermissionForALoopbackPeerIs403() throws Exception {
        relay.allocate();
        Message response = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CREATE_PERMISSION)
                .xorPeer(new InetSocketAddress("127.0.0.1", 3480))));
        assertThat(RelayHarness.errorCode(response)).isEqualTo(403);
        assertThat(RelayHarness.errorCode(relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CHANNEL_BIND)
                .uint32(0x000C, 0x4000L << 16).xorPeer(new InetSocketAddress("192.168.0.10", 3480))))))
                .isEqualTo(403);
    }

    @Test
    void createPermissionInstallsEveryPeerOfTheRequest() throws Exception {
        relay.allocate();
        Message response = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CREATE_PERMISSION)
                .xorPeer(PEER).xorPeer(OTHER_PEER)));
        assertThat((int) response.getMessageType()).isEqualTo(0x0108);
        Allocation allocation = relay.table.find(relay.fiveTuple);
        assertThat(allocation.permits(PEER.getAddress(), relay.table.nowMillis())).isTrue();
        assertThat(allocation.permits(OTHER_PEER.getAddress(), relay.table.nowMillis())).isTrue();
    }

    @Test
    void channelBindChecksRangeAndUniqueness() throws Exception {
        relay.allocate();
        assertThat(bind(0x3FFF, PEER)).isEqualTo(400);
        assertThat(bind(0x8000, PEER)).isEqualTo(400);
        assertThat(bind(0x4000, PEER)).isZero();
        assertThat(bind(0x4000, OTHER_PEER)).isEqualTo(400);
        assertThat(bind(0x4001, PEER)).isEqualTo(400);
        assertThat(bind(0x4000, PEER)).as("refreshing the same binding").isZero();
    }

    @Test
    void requestsWithoutAnAllocationAre437() throws Exception {
        assertThat(bind(0x4000, PEER)).isEqualTo(437);
    }

    @Test
    void sendIndicationReachesAPermittedPeerOnly() throws Exception {
        relay.allocate();
        byte[] payload = "hello peer".getBytes();
        relay.exchange(StunRequestBuilder.indication(StunResponses.SEND).xorPeer(PEER).attribute(0x0013, payload)
                .build());
        assertThat(relay.relays.sent).as("no permission yet").isEmpty();
        relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CREATE_PERMISSION).xorPeer(PEER)));
        relay.exchange(StunRequestBuilder.indication(StunResponses.SEND).xorPeer(PEER).attribute(0x0013, payload)
                .build());
        assertThat(relay.relays.sent).singleElement().satisfies(sent -> {
            assertThat(sent.peer()).isEqualTo(PEER);
            assertThat(sent.payload()).isEqualTo(payload);
        });
        assertThat(relay.registry.counter("myelin.turn.relayed.packets", "direction", "to_peer").count()).isEqualTo(1);
    }

    @Test
    void channelDataGoesToTheBoundPeerAndPeerDataComesBackOnTheChannel() throws Exception {
        relay.allocate();
        assertThat(bind(0x4001, PEER)).isZero();
        byte[] channelData = {0x40, 0x01, 0, 3, 'a', 'b', 'c', 0};
        relay.exchange(channelData);
        assertThat(relay.relays.sent).singleElement().satisfies(sent -> assertThat(sent.payload()).isEqualTo(
                new byte[] {'a', 'b', 'c'}));

        Allocation allocation = relay.table.find(relay.fiveTuple);
        relay.dataPath.fromPeer(allocation, PEER, ByteBuffer.wrap(new byte[] {'x', 'y', 'z'}),
                ByteBuffer.allocate(128));
        assertThat(relay.sink.last()).containsExactly(0x40, 0x01, 0, 3, 'x', 'y', 'z');
    }

    @Test
    void peerDataWithoutAChannelComesAsADataIndicationAndUnpermittedPeersAreDropped() throws Exception {
        relay.allocate();
        relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CREATE_PERMISSION).xorPeer(PEER)));
        Allocation allocation = relay.table.find(relay.fiveTuple);
        int frames = relay.sink.frames.size();
        relay.dataPath.fromPeer(allocation, OTHER_PEER, ByteBuffer.wrap(new byte[] {1}), ByteBuffer.allocate(128));
        assertThat(relay.sink.frames).hasSize(frames);

        relay.dataPath.fromPeer(allocation, PEER, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}),
                ByteBuffer.allocate(128));
        byte[] raw = relay.sink.last();
        Message indication = Message.decode(raw, 0, raw.length);
        assertThat((int) indication.getMessageType()).isEqualTo(0x0017);
        assertThat(((DataAttribute) indication.getAttribute(Attribute.DATA)).getData()).containsExactly(1, 2, 3, 4, 5);
        assertThat(((XorPeerAddressAttribute) indication.getAttribute(Attribute.XOR_PEER_ADDRESS))
                .getAddress(indication.getTransactionID())).isEqualTo(PEER);
    }

    @Test
    void channelDataIsPaddedOnStreamTransports() throws Exception {
        RecordingSink stream = new RecordingSink(true);
        relay.allocate();
        bind(0x4002, PEER);
        Allocation table = relay.table.find(relay.fiveTuple);
        Allocation onStream = new Allocation(table.fiveTuple(), table.username(), table.owner(), table.relay(),
                table.relayedAddress(), stream, new byte[12], null, Long.MAX_VALUE);
        onStream.bindChannel(0x4002, PEER, Long.MAX_VALUE);
        onStream.permit(PEER.getAddress(), Long.MAX_VALUE);
        relay.dataPath.fromPeer(onStream, PEER, ByteBuffer.wrap(new byte[] {9, 9, 9, 9, 9}), ByteBuffer.allocate(64));
        assertThat(stream.last()).containsExactly(0x40, 0x02, 0, 5, 9, 9, 9, 9, 9, 0, 0, 0);
    }

    @Test
    void bandwidthLimitDropsWhatExceedsTheRate() throws Exception {
        RelayHarness limited = new RelayHarness(RelayHarness.config().bandwidthLimitBytesPerSecond(1000).build());
        limited.allocate();
        limited.send(limited.signed(StunRequestBuilder.request(StunResponses.CREATE_PERMISSION).xorPeer(PEER)));
        byte[] indication = StunRequestBuilder.indication(StunResponses.SEND).xorPeer(PEER)
                .attribute(0x0013, new byte[400]).build();
        for (int i = 0; i < 4; i++) {
            limited.exchange(indication);
        }
        assertThat(limited.relays.sent).hasSize(2);
        limited.clock.advance(java.time.Duration.ofSeconds(1));
        limited.exchange(indication);
        assertThat(limited.relays.sent).hasSize(3);
    }

    private int bind(int channel, InetSocketAddress peer) throws Exception {
        return RelayHarness.errorCode(relay.send(relay.signed(StunRequestBuilder.request(StunResponses.CHANNEL_BIND)
                .uint32(0x000C, (long) channel << 16).xorPeer(peer))));
    }
}
