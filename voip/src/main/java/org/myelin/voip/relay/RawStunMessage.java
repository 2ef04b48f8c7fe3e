package org.myelin.voip.relay;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A STUN message read straight from its bytes: the header, and the attributes walked in wire order. Requests are read
 * with this rather than ice4j's decoder, which keeps one attribute per type (CreatePermission may carry several
 * XOR-PEER-ADDRESS), loses the type of unknown comprehension-required attributes (needed for 420), and rejects the
 * one-byte EVEN-PORT that real clients send. MESSAGE-INTEGRITY is verified on these bytes too. Attributes after
 * MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored, as RFC 8489 §14.5 requires.
 */
final class RawStunMessage {

    static final int HEADER_LENGTH = 20;

    private final byte[] bytes;
    private final int length;
    private final int integrityOffset;

    private RawStunMessage(byte[] bytes, int length, int integrityOffset) {
        this.bytes = bytes;
        this.length = length;
        this.integrityOffset = integrityOffset;
    }

    /**
     * Parses the message at the start of {@code bytes}.
     *
     * @param available how many bytes are valid
     * @return the message, or {@code null} when the bytes are not a well-formed RFC 5389+ STUN message
     */
    static RawStunMessage parse(byte[] bytes, int available) {
        if (available < HEADER_LENGTH || (bytes[0] & 0xC0) != 0 || readInt(bytes, 4) != XorAddressCodec.MAGIC_COOKIE) {
            return null;
        }
        int bodyLength = readShort(bytes, 2);
        if ((bodyLength & 3) != 0 || HEADER_LENGTH + bodyLength > available) {
            return null;
        }
        int end = HEADER_LENGTH + bodyLength;
        int offset = HEADER_LENGTH;
        int integrity = -1;
        while (offset < end) {
            if (offset + 4 > end) {
                return null;
            }
            int type = readShort(bytes, offset);
            int next = offset + 4 + ((readShort(bytes, offset + 2) + 3) & ~3);
            if (next > end) {
                return null;
            }
            if (type == StunIntegrity.MESSAGE_INTEGRITY && integrity < 0) {
                if (readShort(bytes, offset + 2) != 20) {
                    return null;
                }
                integrity = offset;
            }
            offset = next;
        }
        return new RawStunMessage(bytes, end, integrity);
    }

    /** The total message length in bytes, header included. */
    int length() {
        return length;
    }

    int type() {
        return readShort(bytes, 0);
    }

    byte[] bytes() {
        return bytes;
    }

    byte[] transactionId() {
        return Arrays.copyOfRange(bytes, 8, HEADER_LENGTH);
    }

    /** Offset of the MESSAGE-INTEGRITY attribute header, or -1. */
    int integrityOffset() {
        return integrityOffset;
    }

    /** Whether the message's MESSAGE-INTEGRITY verifies with this key. */
    boolean integrityMatches(byte[] key) {
        return integrityOffset >= 0 && StunIntegrity.verify(key, bytes, integrityOffset, integrityOffset + 4);
    }

    /** Offset of the first value of this attribute type (covered by integrity), or -1. */
    int valueOffset(int type) {
        int end = coveredEnd();
        for (int offset = HEADER_LENGTH; offset < end; offset = next(offset)) {
            if (readShort(bytes, offset) == type) {
                return offset + 4;
            }
        }
        return -1;
    }

    /** A copy of the first value of this attribute type, or {@code null}. */
    byte[] value(int type) {
        int offset = valueOffset(type);
        return offset < 0 ? null : Arrays.copyOfRange(bytes, offset, offset + valueLength(offset));
    }

    /** The first value of this attribute type as UTF-8 text (USERNAME, REALM, NONCE), or {@code null}. */
    String text(int type) {
        byte[] value = value(type);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** A 32-bit unsigned value (LIFETIME), or -1 when absent or not four bytes long. */
    long uint32(int type) {
        int offset = valueOffset(type);
        return offset < 0 || valueLength(offset) != 4 ? -1 : readInt(bytes, offset) & 0xFFFFFFFFL;
    }

    /** The first byte of a value (REQUESTED-TRANSPORT, EVEN-PORT, REQUESTED-ADDRESS-FAMILY), or -1 when absent. */
    int firstByte(int type) {
        int offset = valueOffset(type);
        return offset < 0 || valueLength(offset) < 1 ? -1 : bytes[offset] & 0xFF;
    }

    /** The leading 16 bits of a value (CHANNEL-NUMBER), or -1 when absent or shorter than four bytes. */
    int uint16(int type) {
        int offset = valueOffset(type);
        return offset < 0 || valueLength(offset) != 4 ? -1 : readShort(bytes, offset);
    }

    /** True unless the message ends in a FINGERPRINT whose CRC is wrong. */
    boolean fingerprintMatches() {
        int last = length - StunIntegrity.FINGERPRINT_ATTRIBUTE_LENGTH;
        if (last < HEADER_LENGTH || readShort(bytes, last) != StunIntegrity.FINGERPRINT
                || readShort(bytes, last + 2) != 4) {
            return true;
        }
        return StunIntegrity.fingerprintValue(bytes, last) == readInt(bytes, last + 4);
    }

    /** The length of the attribute value starting at {@code valueOffset}. */
    int valueLength(int valueOffset) {
        return readShort(bytes, valueOffset - 2);
    }

    /**
     * Every address of an XOR'd address attribute type, in order.
     *
     * @return the addresses, or {@code null} when one of them is malformed
     */
    List<InetSocketAddress> xorAddresses(int type) {
        List<InetSocketAddress> result = new ArrayList<>(2);
        int end = coveredEnd();
        for (int offset = HEADER_LENGTH; offset < end; offset = next(offset)) {
            if (readShort(bytes, offset) == type) {
                InetSocketAddress address = XorAddressCodec.decode(bytes, offset + 4, readShort(bytes, offset + 2));
                if (address == null) {
                    return null;
                }
                result.add(address);
            }
        }
        return result;
    }

    /** Comprehension-required attribute types (below 0x8000) that {@code known} does not accept. */
    List<Integer> unknownRequiredAttributes(IntPredicate known) {
        List<Integer> unknown = new ArrayList<>(0);
        int end = coveredEnd();
        for (int offset = HEADER_LENGTH; offset < end; offset = next(offset)) {
            int type = readShort(bytes, offset);
            if (type < 0x8000 && !known.test(type) && !unknown.contains(type)) {
                unknown.add(type);
            }
        }
        return unknown;
    }

    private int coveredEnd() {
        return integrityOffset >= 0 ? integrityOffset : length;
    }

    private int next(int offset) {
        return offset + 4 + ((readShort(bytes, offset + 2) + 3) & ~3);
    }

    static int readShort(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    static int readInt(byte[] b, int offset) {
        return (readShort(b, offset) << 16) | readShort(b, offset + 2);
    }
}
