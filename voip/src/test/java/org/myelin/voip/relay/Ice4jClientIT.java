package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.ChannelData;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.security.LongTermCredential;
import org.ice4j.security.LongTermCredentialSession;
import org.ice4j.stack.StunStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.voip.credentials.TurnCredentials;

/**
 * ice4j's message layer as an independent TURN client over real loopback sockets: it builds the requests, signs them
 * with its own long-term credential code, and decodes the relay's answers; a plain UDP socket plays the peer.
 */
class Ice4jClientIT {

    private static final String SECRET = "ice4j-s3cret";
    private static final String REALM = "ice4j.myelin";

    private TurnRelayServer relay;
    private StunStack stack;
    private DatagramSocket client;
    private DatagramSocket peer;

    @BeforeEach
    void start() throws Exception {
        relay = new TurnRelayServer(TurnRelayConfig.builder(SECRET).realm(REALM)
                .listenAddress(InetAddress.getLoopbackAddress()).udpPort(0).tcpPort(-1).tlsPort(-1)
                .relayPorts(21000, 21099).allowedPeerCidrs(List.of("127.0.0.0/8")).build(),
                new SimpleMeterRegistry());
        relay.start();
        stack = new StunStack();
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(3000);
        peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        peer.setSoTimeout(3000);
    }

    @AfterEach
    void stop() {
        client.close();
        peer.close();
        stack.shutDown();
        relay.close();
    }

    @Test
    void allocatesBindsAChannelAndRelaysBothWays() throws Exception {
        Message challenge = exchange(MessageFactory.createAllocateRequest((byte) 17, false));
        assertThat(RelayHarness.errorCode(challenge)).isEqualTo(401);
        String username = new TurnCredentials(SECRET, Duration.ofHours(1), Clock.systemUTC())
                .mint("@ice4j:example.org").username();
        LongTermCredentialSession session = new LongTermCredentialSession(
                new LongTermCredential(username, TurnCredentials.password(SECRET, username)),
                ((RealmAttribute) challenge.getAttribute(Attribute.REALM)).getRealm());
        session.setNonce(((NonceAttribute) challenge.getAttribute(Attribute.NONCE)).getNonce());
        stack.getCredentialsManager().registerAuthority(session);

        Request allocate = MessageFactory.createAllocateRequest((byte) 17, false);
        session.addAttributes(allocate);
        Message allocated = exchange(allocate);
        assertThat((int) allocated.getMessageType()).isEqualTo(0x0103);
        InetSocketAddress relayed = ((XorRelayedAddressAttribute) allocated
                .getAttribute(Attribute.XOR_RELAYED_ADDRESS)).getAddress(allocate.getTransactionID());
        assertThat(relay.allocationCount()).isEqualTo(1);

        TransportAddress peerAddress = new TransportAddress(InetAddress.getLoopbackAddress(), peer.getLocalPort(),
                Transport.UDP);
        byte[] tid = transactionId();
        Request bind = MessageFactory.createChannelBindRequest((char) 0x4001, peerAddress, tid);
        bind.setTransactionID(tid);
        session.addAttributes(bind);
        assertThat((int) exchange(bind).getMessageType()).isEqualTo(0x0109);

        ChannelData toPeer = new ChannelData();
        toPeer.setChannelNumber((char) 0x4001);
        toPeer.setData("ping".getBytes(StandardCharsets.US_ASCII));
        byte[] frame = toPeer.encode();
        client.send(new DatagramPacket(frame, frame.length, relay.udpAddress()));
        DatagramPacket atPeer = new DatagramPacket(new byte[1500], 1500);
        peer.receive(atPeer);
        assertThat(new String(atPeer.getData(), 0, atPeer.getLength(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        assertThat(atPeer.getPort()).isEqualTo(relayed.getPort());

        byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);
        peer.send(new DatagramPacket(pong, pong.length, atPeer.getSocketAddress()));
        byte[] back = receive();
        ChannelData fromPeer = ChannelData.decode(back, (char) 0);
        assertThat((int) fromPeer.getChannelNumber()).isEqualTo(0x4001);
        assertThat(fromPeer.getData()).isEqualTo(pong);

        Request release = MessageFactory.createRefreshRequest(0);
        session.addAttributes(release);
        assertThat((int) exchange(release).getMessageType()).isEqualTo(0x0104);
        assertThat(relay.allocationCount()).isZero();
    }

    private Message exchange(Request request) throws Exception {
        if (request.getTransactionID() == null) {
            request.setTransactionID(transactionId());
        }
        byte[] bytes = request.encode(stack);
        client.send(new DatagramPacket(bytes, bytes.length, relay.udpAddress()));
        byte[] response = receive();
        return Message.decode(response, 0, response.length);
    }

    private byte[] receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        client.receive(packet);
        return Arrays.copyOf(packet.getData(), packet.getLength());
    }

    private static byte[] transactionId() {
        byte[] tid = new byte[12];
        new SecureRandom().nextBytes(tid);
        return tid;
    }
}
