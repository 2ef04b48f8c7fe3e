package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.ice4j.attribute.Attribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Responses carry exactly one FINGERPRINT, last, even when ice4j's JVM-wide {@code org.ice4j.ALWAYS_SIGN} (set by
 * every ice4j Agent in the JVM) makes the encoder add one of its own.
 */
class StunSigningTest {

    private static final String ALWAYS_SIGN = "org.ice4j.ALWAYS_SIGN";
    private static final byte[] TRANSACTION = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @AfterEach
    void clearProperty() {
        System.clearProperty(ALWAYS_SIGN);
    }

    @Test
    void errorResponseShouldHaveOneValidFingerprintWhenIce4jAlwaysSigns() throws Exception {
        System.setProperty(ALWAYS_SIGN, "true");
        byte[] key = StunIntegrity.longTermKey("1:@a:x", "realm", "secret");

        byte[] raw = StunResponses.error(0x003, TRANSACTION, 401, "Unauthorized", key);

        assertThat(attributeTypes(raw)).filteredOn(t -> t == StunIntegrity.FINGERPRINT).hasSize(1);
        assertThat(attributeTypes(raw)).endsWith(StunIntegrity.MESSAGE_INTEGRITY, StunIntegrity.FINGERPRINT);
        Message decoded = Message.decode(raw, 0, raw.length);
        assertThat(decoded.getAttribute(Attribute.FINGERPRINT)).isNotNull();
        assertThat(StunProtocolTest.integrityVerifies(raw, key)).isTrue();
    }

    @Test
    void unsignedShouldCutAtTheFirstSignatureAttributeAndFixTheLength() {
        System.setProperty(ALWAYS_SIGN, "true");
        byte[] withOwnFingerprint = StunResponses.error(0x003, TRANSACTION, 400, "Bad Request", null);
        byte[] cut = StunIntegrity.unsigned(withOwnFingerprint);

        assertThat(attributeTypes(cut)).doesNotContain(StunIntegrity.FINGERPRINT, StunIntegrity.MESSAGE_INTEGRITY);
        int lengthField = ((cut[2] & 0xff) << 8) | (cut[3] & 0xff);
        assertThat(lengthField).isEqualTo(cut.length - RawStunMessage.HEADER_LENGTH);
    }

    private static List<Integer> attributeTypes(byte[] message) {
        List<Integer> types = new ArrayList<>();
        int offset = RawStunMessage.HEADER_LENGTH;
        while (offset + 4 <= message.length) {
            types.add(((message[offset] & 0xff) << 8) | (message[offset + 1] & 0xff));
            int length = ((message[offset + 2] & 0xff) << 8) | (message[offset + 3] & 0xff);
            offset += 4 + ((length + 3) & ~3);
        }
        return types;
    }
}
