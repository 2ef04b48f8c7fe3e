package org.myelin.voip.relay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (HMAC-SHA1) and FINGERPRINT (CRC-32 XOR 0x5354554E) on raw STUN bytes, RFC 8489 §14.5 and §14.7.
 * ice4j computes these only inside {@code Message.encode(StunStack)} with its own credential lookup, so the relay
 * signs and verifies here with the long-term key it derived itself.
 */
final class StunIntegrity {

    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int FINGERPRINT = 0x8028;
    static final int INTEGRITY_ATTRIBUTE_LENGTH = 24;
    static final int FINGERPRINT_ATTRIBUTE_LENGTH = 8;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private StunIntegrity() {
    }

    /** The long-term credential key, MD5(username ":" realm ":" password), RFC 8489 §9.2.2. */
    static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is unavailable", e);
        }
    }

    /**
     * HMAC-SHA1 over {@code message[0, end)} with the header's length field replaced by {@code lengthField}, which is
     * how MESSAGE-INTEGRITY is computed both when signing and when verifying.
     */
    static byte[] hmac(byte[] key, byte[] message, int end, int lengthField) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(message, 0, 2);
            mac.update((byte) (lengthField >> 8));
            mac.update((byte) lengthField);
            mac.update(message, 4, end - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    /** Whether the 20-byte MESSAGE-INTEGRITY value at {@code valueOffset} is right for the attribute at {@code attrOffset}. */
    static boolean verify(byte[] key, byte[] message, int attrOffset, int valueOffset) {
        int lengthField = attrOffset + INTEGRITY_ATTRIBUTE_LENGTH - RawStunMessage.HEADER_LENGTH;
        byte[] expected = hmac(key, message, attrOffset, lengthField);
        byte[] actual = new byte[20];
        System.arraycopy(message, valueOffset, actual, 0, 20);
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Appends MESSAGE-INTEGRITY (when a key is given) and FINGERPRINT to an encoded message. Any MESSAGE-INTEGRITY or
     * FINGERPRINT the encoder already added is cut off first: ice4j adds a FINGERPRINT of its own whenever the
     * JVM-wide {@code org.ice4j.ALWAYS_SIGN} is set, which every ice4j {@code Agent} in the same JVM does, and a
     * second FINGERPRINT makes clients drop the response.
     *
     * @param encoded a complete STUN message
     * @param key the long-term key, or {@code null} for FINGERPRINT only
     * @return a new array holding the signed message
     */
    static byte[] sign(byte[] encoded, byte[] key) {
        encoded = unsigned(encoded);
        int extra = (key == null ? 0 : INTEGRITY_ATTRIBUTE_LENGTH) + FINGERPRINT_ATTRIBUTE_LENGTH;
        byte[] out = new byte[encoded.length + extra];
        System.arraycopy(encoded, 0, out, 0, encoded.length);
        int offset = encoded.length;
        if (key != null) {
            byte[] mac = hmac(key, out, offset, offset + INTEGRITY_ATTRIBUTE_LENGTH - RawStunMessage.HEADER_LENGTH);
            writeShort(out, offset, MESSAGE_INTEGRITY);
            writeShort(out, offset + 2, 20);
            System.arraycopy(mac, 0, out, offset + 4, 20);
            offset += INTEGRITY_ATTRIBUTE_LENGTH;
        }
        writeShort(out, 2, out.length - RawStunMessage.HEADER_LENGTH);
        int value = fingerprintValue(out, offset);
        writeShort(out, offset, FINGERPRINT);
        writeShort(out, offset + 2, 4);
        writeShort(out, offset + 4, value >>> 16);
        writeShort(out, offset + 6, value);
        return out;
    }

    /** The message up to its first MESSAGE-INTEGRITY or FINGERPRINT attribute, with the header length to match. */
    static byte[] unsigned(byte[] encoded) {
        int offset = RawStunMessage.HEADER_LENGTH;
        while (offset + 4 <= encoded.length) {
            int type = ((encoded[offset] & 0xff) << 8) | (encoded[offset + 1] & 0xff);
            if (type == MESSAGE_INTEGRITY || type == FINGERPRINT) {
                byte[] cut = Arrays.copyOf(encoded, offset);
                writeShort(cut, 2, offset - RawStunMessage.HEADER_LENGTH);
                return cut;
            }
            int length = ((encoded[offset + 2] & 0xff) << 8) | (encoded[offset + 3] & 0xff);
            offset += 4 + ((length + 3) & ~3);
        }
        return encoded;
    }

    /** The FINGERPRINT value for an attribute at {@code offset}; the header length must already include it. */
    static int fingerprintValue(byte[] message, int offset) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, offset);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    private static void writeShort(byte[] out, int offset, int value) {
        out[offset] = (byte) (value >> 8);
        out[offset + 1] = (byte) value;
    }
}
