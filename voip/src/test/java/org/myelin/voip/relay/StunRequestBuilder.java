package org.myelin.voip.relay;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes STUN requests byte by byte for tests, with its own MESSAGE-INTEGRITY and FINGERPRINT code (plain JCA), so
 * the relay's signing and verification are checked against an independent implementation.
 */
final class StunRequestBuilder {

    private final int type;
    private final byte[] transactionId = new byte[12];
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    private StunRequestBuilder(int type) {
        this.type = type;
        ThreadLocalRandom.current().nextBytes(transactionId);
    }

    /** A request (class bits 00) of the given method. */
    static StunRequestBuilder request(int method) {
        return new StunRequestBuilder(method);
    }

    /** An indication (class bits 01) of the given method. */
    static StunRequestBuilder indication(int method) {
        return new StunRequestBuilder(method | 0x0010);
    }

    byte[] transactionId() {
        return transactionId.clone();
    }

    StunRequestBuilder attribute(int attributeType, byte[] value) {
        body.write(attributeType >> 8);
        body.write(attributeType);
        body.write(value.length >> 8);
        body.write(value.length);
        body.writeBytes(value);
        for (int i = value.length; i % 4 != 0; i++) {
            body.write(0);
        }
        return this;
    }

    StunRequestBuilder uint32(int attributeType, long value) {
        return attribute(attributeType, ByteBuffer.allocate(4).putInt((int) value).array());
    }

    StunRequestBuilder text(int attributeType, String value) {
        return attribute(attributeType, value.getBytes(StandardCharsets.UTF_8));
    }

    StunRequestBuilder xorPeer(InetSocketAddress peer) {
        byte[] ip = peer.getAddress().getAddress();
        ByteBuffer value = ByteBuffer.allocate(4 + ip.length);
        value.put((byte) 0).put((byte) (ip.length == 4 ? 1 : 2)).putShort((short) (peer.getPort() ^ 0x2112));
        byte[] mask = ByteBuffer.allocate(16).putInt(0x2112A442).put(transactionId).array();
        for (int i = 0; i < ip.length; i++) {
            value.put((byte) (ip[i] ^ mask[i]));
        }
        return attribute(0x0012, value.array());
    }

    /** The message without integrity, with a FINGERPRINT. */
    byte[] build() {
        return withFingerprint(header(body.toByteArray()));
    }

    /** The message with USERNAME, REALM, NONCE, MESSAGE-INTEGRITY (long-term key) and FINGERPRINT. */
    byte[] buildSigned(String username, String realm, String nonce, String password) throws Exception {
        text(0x0006, username).text(0x0014, realm).text(0x0015, nonce);
        byte[] key = MessageDigest.getInstance("MD5")
                .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        return withFingerprint(withIntegrity(header(body.toByteArray()), key));
    }

    private byte[] header(byte[] attributes) {
        return ByteBuffer.allocate(20 + attributes.length).putShort((short) type)
                .putShort((short) attributes.length).putInt(0x2112A442).put(transactionId).put(attributes).array();
    }

    /** Appends MESSAGE-INTEGRITY computed over the message with its length covering the new attribute. */
    static byte[] withIntegrity(byte[] message, byte[] key) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(message.length + 24).put(message);
        out.putShort(2, (short) (message.length + 24 - 20));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        mac.update(out.array(), 0, message.length);
        out.putShort((short) 0x0008).putShort((short) 20).put(mac.doFinal());
        return out.array();
    }

    static byte[] withFingerprint(byte[] message) {
        ByteBuffer out = ByteBuffer.allocate(message.length + 8).put(message);
        out.putShort(2, (short) (message.length + 8 - 20));
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, message.length);
        out.putShort((short) 0x8028).putShort((short) 4).putInt((int) crc.getValue() ^ 0x5354554E);
        return out.array();
    }
}
