package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The TURN data plane (RFC 8656 §11 and §12): Send indications and ChannelData from clients go to peers, datagrams from
 * peers go back as ChannelData when a channel is bound, else as Data indications. Anything without a live permission
 * or beyond the allocation's bandwidth limit is dropped silently.
 */
final class DataPath {

    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA = 0x0013;
    private static final int DATA_INDICATION = 0x0017;

    private final AllocationTable table;
    private final RelayMetrics metrics;

    DataPath(AllocationTable table, RelayMetrics metrics) {
        this.table = table;
        this.metrics = metrics;
    }

    /** Whether the first byte starts a ChannelData message (channel numbers 0x4000–0x7FFF, as RFC 5766 allowed). */
    static boolean isChannelData(int firstByte) {
        return (firstByte & 0xC0) == 0x40;
    }

    /**
     * Relays a ChannelData message from a client.
     *
     * @param frame the message from its position; its remaining bytes may include padding
     */
    void fromClientChannelData(FiveTuple fiveTuple, ByteBuffer frame) {
        int start = frame.position();
        if (frame.remaining() < 4) {
            return;
        }
        int channel = frame.getShort(start) & 0xFFFF;
        int length = frame.getShort(start + 2) & 0xFFFF;
        Allocation allocation = table.find(fiveTuple);
        if (allocation == null || 4 + length > frame.remaining()) {
            return;
        }
        long now = table.nowMillis();
        InetSocketAddress peer = allocation.channelPeer(channel, now);
        ByteBuffer payload = frame.duplicate();
        payload.position(start + 4).limit(start + 4 + length);
        toPeer(allocation, peer, payload, now);
    }

    /** Relays the DATA of a Send indication from a client to its XOR-PEER-ADDRESS. */
    void fromClientSend(FiveTuple fiveTuple, RawStunMessage message) {
        Allocation allocation = table.find(fiveTuple);
        if (allocation == null) {
            return;
        }
        List<InetSocketAddress> peers = message.xorAddresses(XOR_PEER_ADDRESS);
        int data = message.valueOffset(DATA);
        if (peers == null || peers.isEmpty() || data < 0) {
            return;
        }
        ByteBuffer payload = ByteBuffer.wrap(message.bytes(), data, message.valueLength(data));
        toPeer(allocation, peers.get(0), payload, table.nowMillis());
    }

    private void toPeer(Allocation allocation, InetSocketAddress peer, ByteBuffer payload, long now) {
        int size = payload.remaining();
        if (peer == null || !allocation.permits(peer.getAddress(), now) || !allocation.admit(size, now)) {
            metrics.dropped();
            return;
        }
        try {
            allocation.relay().send(payload, peer);
            metrics.relayedToPeer(size);
        } catch (IOException e) {
            metrics.dropped();
        }
    }

    /**
     * Relays a datagram a peer sent to an allocation's relay socket back to the client.
     *
     * @param payload the datagram
     * @param out a scratch buffer of at least payload + 48 bytes, owned by the calling thread
     */
    void fromPeer(Allocation allocation, InetSocketAddress peer, ByteBuffer payload, ByteBuffer out) {
        long now = table.nowMillis();
        int size = payload.remaining();
        if (!allocation.permits(peer.getAddress(), now) || !allocation.admit(size, now)) {
            metrics.dropped();
            return;
        }
        out.clear();
        int channel = allocation.channelFor(peer, now);
        if (channel >= 0) {
            out.putShort((short) channel).putShort((short) size).put(payload);
            if (allocation.client().stream()) {
                padToFour(out, size);
            }
        } else {
            writeDataIndication(out, peer, payload);
        }
        out.flip();
        allocation.client().send(out);
        metrics.relayedToClient(size);
    }

    private static void writeDataIndication(ByteBuffer out, InetSocketAddress peer, ByteBuffer payload) {
        byte[] transactionId = new byte[12];
        ThreadLocalRandom.current().nextBytes(transactionId);
        int size = payload.remaining();
        int padded = (size + 3) & ~3;
        int bodyLength = 4 + XorAddressCodec.valueLength(peer.getAddress()) + 4 + padded;
        out.putShort((short) DATA_INDICATION).putShort((short) bodyLength).putInt(XorAddressCodec.MAGIC_COOKIE)
                .put(transactionId);
        XorAddressCodec.writeAttribute(out, XOR_PEER_ADDRESS, peer, transactionId);
        out.putShort((short) DATA).putShort((short) size).put(payload);
        padToFour(out, size);
    }

    private static void padToFour(ByteBuffer out, int size) {
        for (int i = size; (i & 3) != 0; i++) {
            out.put((byte) 0);
        }
    }
}
