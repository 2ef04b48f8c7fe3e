package org.myelin.voip.relay;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Encodes and decodes the value of XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8489 §14.2)
 * directly on bytes. The TURN data path and repeated XOR-PEER-ADDRESS attributes need this because ice4j keeps only
 * one attribute per type.
 */
final class XorAddressCodec {

    static final int MAGIC_COOKIE = 0x2112A442;
    private static final byte[] COOKIE_BYTES = {0x21, 0x12, (byte) 0xA4, 0x42};

    private XorAddressCodec() {
    }

    /** The value length an address of this family encodes to: 8 for IPv4, 20 for IPv6. */
    static int valueLength(InetAddress address) {
        return address instanceof Inet4Address ? 8 : 20;
    }

    /**
     * Decodes an XOR'd address value.
     *
     * @param message the whole STUN message (the transaction id is at offset 8)
     * @param offset where the attribute value starts
     * @param length the attribute value length
     * @return the address, or {@code null} when the value is malformed
     */
    static InetSocketAddress decode(byte[] message, int offset, int length) {
        if (length < 8) {
            return null;
        }
        int family = message[offset + 1] & 0xFF;
        int port = (((message[offset + 2] & 0xFF) << 8) | (message[offset + 3] & 0xFF)) ^ (MAGIC_COOKIE >>> 16);
        int size = family == 1 ? 4 : family == 2 ? 16 : -1;
        if (size < 0 || length != 4 + size) {
            return null;
        }
        byte[] raw = new byte[size];
        for (int i = 0; i < size; i++) {
            byte mask = i < 4 ? COOKIE_BYTES[i] : message[4 + i];
            raw[i] = (byte) (message[offset + 4 + i] ^ mask);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Writes a complete XOR'd address attribute (header and value) at the buffer's position.
     *
     * @param transactionId the 12-byte transaction id of the message being written
     */
    static void writeAttribute(ByteBuffer out, int type, InetSocketAddress address, byte[] transactionId) {
        byte[] raw = address.getAddress().getAddress();
        out.putShort((short) type);
        out.putShort((short) (4 + raw.length));
        out.put((byte) 0);
        out.put((byte) (raw.length == 4 ? 1 : 2));
        out.putShort((short) (address.getPort() ^ (MAGIC_COOKIE >>> 16)));
        for (int i = 0; i < raw.length; i++) {
            byte mask = i < 4 ? COOKIE_BYTES[i] : transactionId[i - 4];
            out.put((byte) (raw[i] ^ mask));
        }
    }
}
