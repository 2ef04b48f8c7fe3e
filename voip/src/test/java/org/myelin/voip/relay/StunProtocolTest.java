package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.attribute.ReservationTokenAttribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.attribute.XorMappedAddressAttribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.Message;
import org.junit.jupiter.api.Test;
import org.myelin.voip.credentials.TurnCredentials;

/** Byte-level STUN/TURN exchanges; responses are decoded by ice4j and integrity is checked with plain JCA. */
class StunProtocolTest {

    private final RelayHarness relay = new RelayHarness();

    @Test
    void bindingNeedsNoCredentialsAndReturnsTheReflexiveAddress() throws Exception {
        StunRequestBuilder request = StunRequestBuilder.request(StunResponses.BINDING);
        Message response = relay.send(request.build());
        assertThat((int) response.getMessageType()).isEqualTo(0x0101);
        assertThat(response.getTransactionID()).isEqualTo(request.transactionId());
        XorMappedAddressAttribute mapped = (XorMappedAddressAttribute) response.getAttribute(Attribute.XOR_MAPPED_ADDRESS);
        assertThat(mapped.getAddress(request.transactionId()).getPort()).isEqualTo(40000);
        assertThat(response.containsAttribute(Attribute.FINGERPRINT)).isTrue();
    }

    @Test
    void allocateWithoutCredentialsIsChallengedWith401RealmAndNonce() throws Exception {
        Message response = relay.send(
                StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24).build());
        assertThat((int) response.getMessageType()).isEqualTo(0x0113);
        assertThat(RelayHarness.errorCode(response)).isEqualTo(401);
        assertThat(new String(((RealmAttribute) response.getAttribute(Attribute.REALM)).getRealm(),
                StandardCharsets.UTF_8)).isEqualTo(RelayHarness.REALM);
        assertThat(response.containsAttribute(Attribute.NONCE)).isTrue();
        assertThat(response.containsAttribute(Attribute.MESSAGE_INTEGRITY)).isFalse();
        assertThat(relay.registry.counter("myelin.turn.auth.failures").count()).isZero();
    }

    @Test
    void allocateWithRestCredentialsSucceedsAndTheResponseIsSignedWithTheLongTermKey() throws Exception {
        StunRequestBuilder request = StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24)
                .uint32(0x000D, 1200);
        byte[] raw = relay.exchange(relay.signed(request));
        Message response = Message.decode(raw, 0, raw.length);
        assertThat((int) response.getMessageType()).isEqualTo(0x0103);
        assertThat(((LifetimeAttribute) response.getAttribute(Attribute.LIFETIME)).getLifetime()).isEqualTo(1200);
        InetSocketAddress relayed = ((XorRelayedAddressAttribute) response.getAttribute(Attribute.XOR_RELAYED_ADDRESS))
                .getAddress(request.transactionId());
        assertThat(relayed.getAddress()).isEqualTo(RelayHarness.ADVERTISED);
        assertThat(relayed.getPort()).isBetween(50000, 50009);
        String password = TurnCredentials.password(RelayHarness.SECRET, relay.username);
        byte[] key = MessageDigest.getInstance("MD5").digest(
                (relay.username + ":" + RelayHarness.REALM + ":" + password).getBytes(StandardCharsets.UTF_8));
        assertThat(integrityVerifies(raw, key)).isTrue();
        assertThat(relay.table.size()).isEqualTo(1);
    }

    @Test
    void wrongPasswordIsRefusedWith401AndCounted() throws Exception {
        byte[] request = StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24)
                .buildSigned(relay.username, RelayHarness.REALM, relay.nonce(), "not-the-password");
        assertThat(RelayHarness.errorCode(relay.send(request))).isEqualTo(401);
        assertThat(relay.registry.counter("myelin.turn.auth.failures").count()).isEqualTo(1);
        assertThat(relay.table.size()).isZero();
    }

    @Test
    void expiredRestUsernameIsRefused() throws Exception {
        relay.username = relay.usernameFor("@alice:example.org", Duration.ofSeconds(-1));
        assertThat(RelayHarness.errorCode(relay.allocate())).isEqualTo(401);
    }

    @Test
    void nonceOlderThanItsLifetimeIs438StaleNonceWithAFreshOne() throws Exception {
        String nonce = relay.nonce();
        relay.clock.advance(Duration.ofSeconds(601));
        relay.username = relay.usernameFor("@alice:example.org", Duration.ofHours(1));
        byte[] request = StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24).buildSigned(
                relay.username, RelayHarness.REALM, nonce, TurnCredentials.password(RelayHarness.SECRET, relay.username));
        Message response = relay.send(request);
        assertThat(RelayHarness.errorCode(response)).isEqualTo(438);
        assertThat(response.containsAttribute(Attribute.NONCE)).isTrue();
        assertThat(response.containsAttribute(Attribute.REALM)).isTrue();
    }

    @Test
    void integrityCoversTheRawBytesBeforeIt() throws Exception {
        byte[] request = relay.signed(StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24)
                .uint32(0x000D, 1200));
        byte[] tampered = request.clone();
        tampered[27] ^= 1;
        byte[] refingerprinted = StunRequestBuilder.withFingerprint(Arrays.copyOf(tampered, tampered.length - 8));
        assertThat(relay.exchange(tampered)).as("a bad FINGERPRINT is dropped silently").isNull();
        assertThat(RelayHarness.errorCode(relay.send(refingerprinted))).isEqualTo(401);
    }

    @Test
    void retransmittedRequestGetsTheSameBytesAndNoSecondAllocation() throws Exception {
        byte[] request = relay.signed(StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24));
        byte[] first = relay.exchange(request);
        byte[] second = relay.exchange(request);
        assertThat(second).isEqualTo(first);
        assertThat(relay.table.size()).isEqualTo(1);
        assertThat(relay.relays.bound).hasSize(1);
    }

    @Test
    void secondAllocateOnTheSameFiveTupleIs437() throws Exception {
        relay.allocate();
        assertThat(RelayHarness.errorCode(relay.allocate())).isEqualTo(437);
    }

    @Test
    void tcpRelayTransportIs442AndMissingTransportIs400() throws Exception {
        assertThat(RelayHarness.errorCode(relay.send(relay.signed(
                StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 6 << 24))))).isEqualTo(442);
        assertThat(RelayHarness.errorCode(relay.send(relay.signed(
                StunRequestBuilder.request(StunResponses.ALLOCATE))))).isEqualTo(400);
    }

    @Test
    void quotaPerUserIs486() throws Exception {
        for (int i = 0; i < 3; i++) {
            relay.fiveTuple = new FiveTuple(FiveTuple.Transport.UDP, new InetSocketAddress("203.0.113.5", 41000 + i),
                    relay.fiveTuple.server());
            assertThat(RelayHarness.errorCode(relay.allocate())).isZero();
        }
        relay.fiveTuple = new FiveTuple(FiveTuple.Transport.UDP, new InetSocketAddress("203.0.113.5", 42000),
                relay.fiveTuple.server());
        assertThat(RelayHarness.errorCode(relay.allocate())).isEqualTo(486);
    }

    @Test
    void noBindableRelayPortIs508() throws Exception {
        for (int port = 50000; port <= 50009; port++) {
            relay.relays.busyPorts.add(port);
        }
        assertThat(RelayHarness.errorCode(relay.allocate())).isEqualTo(508);
    }

    @Test
    void unknownComprehensionRequiredAttributeIs420() throws Exception {
        Message response = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.ALLOCATE)
                .uint32(0x0019, 17 << 24).attribute(0x001A, new byte[0])));
        assertThat(RelayHarness.errorCode(response)).isEqualTo(420);
        UnknownAttributesAttribute unknown = (UnknownAttributesAttribute) response.getAttribute(Attribute.UNKNOWN_ATTRIBUTES);
        assertThat((int) unknown.getAttribute(0)).isEqualTo(0x001A);
    }

    @Test
    void evenPortWithReservationGivesATokenForTheNextPort() throws Exception {
        byte[] evenR = {(byte) 0x80};
        Message first = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.ALLOCATE)
                .uint32(0x0019, 17 << 24).attribute(0x0018, evenR)));
        assertThat(RelayHarness.errorCode(first)).isZero();
        int rtpPort = relay.relays.bound.get(0).port();
        assertThat(rtpPort % 2).isZero();
        byte[] token = ((ReservationTokenAttribute) first.getAttribute(Attribute.RESERVATION_TOKEN))
                .getReservationToken();
        assertThat(token).hasSize(8);
        relay.fiveTuple = new FiveTuple(FiveTuple.Transport.UDP, new InetSocketAddress("203.0.113.5", 40001),
                relay.fiveTuple.server());
        Message second = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.ALLOCATE)
                .uint32(0x0019, 17 << 24).attribute(0x0022, token)));
        assertThat(RelayHarness.errorCode(second)).isZero();
        assertThat(relay.relays.bound.get(1).port()).isEqualTo(rtpPort + 1);
    }

    @Test
    void refreshWithZeroLifetimeDeletesAndLaterRequestsAre437() throws Exception {
        relay.allocate();
        Message refresh = relay.send(relay.signed(StunRequestBuilder.request(StunResponses.REFRESH).uint32(0x000D, 0)));
        assertThat((int) refresh.getMessageType()).isEqualTo(0x0104);
        assertThat(relay.table.size()).isZero();
        assertThat(RelayHarness.errorCode(relay.send(relay.signed(StunRequestBuilder.request(StunResponses.REFRESH)))))
                .isEqualTo(437);
    }

    @Test
    void anotherUserOnTheSameFiveTupleIs441() throws Exception {
        relay.allocate();
        relay.username = relay.usernameFor("@mallory:example.org", Duration.ofHours(1));
        assertThat(RelayHarness.errorCode(relay.send(relay.signed(StunRequestBuilder.request(StunResponses.REFRESH)))))
                .isEqualTo(441);
    }

    static boolean integrityVerifies(byte[] message, byte[] key) throws Exception {
        int offset = 20;
        while (offset < message.length) {
            int type = ((message[offset] & 0xFF) << 8) | (message[offset + 1] & 0xFF);
            int length = ((message[offset + 2] & 0xFF) << 8) | (message[offset + 3] & 0xFF);
            if (type == 0x0008) {
                byte[] copy = Arrays.copyOf(message, offset);
                int covered = offset + 24 - 20;
                copy[2] = (byte) (covered >> 8);
                copy[3] = (byte) covered;
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(key, "HmacSHA1"));
                return Arrays.equals(mac.doFinal(copy), Arrays.copyOfRange(message, offset + 4, offset + 24));
            }
            offset += 4 + ((length + 3) & ~3);
        }
        return false;
    }
}
