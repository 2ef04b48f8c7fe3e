package org.myelin.voip.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.message.Message;
import org.myelin.voip.credentials.TurnCredentials;

/** The relay's protocol layer wired to fake relay sockets, a recording client and a hand-moved clock. */
final class RelayHarness {

    static final String SECRET = "s3cret";
    static final String REALM = "test.realm";
    static final InetAddress ADVERTISED = address("192.0.2.1");

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FakeRelays relays = new FakeRelays();
    final AllocationTable table;
    final DataPath dataPath;
    final ClientMessageHandler handler;
    final RecordingSink sink = new RecordingSink(false);
    FiveTuple fiveTuple = new FiveTuple(FiveTuple.Transport.UDP, new InetSocketAddress("203.0.113.5", 40000),
            new InetSocketAddress(ADVERTISED, 3478));
    String username;

    RelayHarness() {
        this(config().build());
    }

    RelayHarness(TurnRelayConfig config) {
        table = new AllocationTable(config, clock);
        RelayMetrics metrics = new RelayMetrics(registry, table);
        dataPath = new DataPath(table, metrics);
        LongTermAuthenticator authenticator = new LongTermAuthenticator(config.realm(), config.sharedSecret(),
                new NonceIssuer(config.nonceLifetime(), clock), clock, metrics::authFailure);
        handler = new ClientMessageHandler(dataPath, authenticator, new TransactionCache(clock, 100),
                new AllocateHandler(table, relays, ADVERTISED),
                new PermissionHandler(table, new PeerAddressPolicy(config.allowedPeerCidrs())));
        username = usernameFor("@alice:example.org", Duration.ofHours(1));
    }

    /** Test defaults: ten relay ports from 50000, quota 3, no bandwidth limit. */
    static TurnRelayConfig.Builder config() {
        return TurnRelayConfig.builder(SECRET).realm(REALM).relayPorts(50000, 50009).maxAllocationsPerUser(3)
                .bandwidthLimitBytesPerSecond(0);
    }

    String usernameFor(String userId, Duration validFor) {
        return (clock.instant().plus(validFor).getEpochSecond()) + ":" + userId;
    }

    /** Sends bytes as the client; returns the relay's answer, or {@code null} when it sent nothing. */
    byte[] exchange(byte[] request) {
        int before = sink.frames.size();
        handler.onMessage(fiveTuple, sink, ByteBuffer.wrap(request));
        return sink.frames.size() > before ? sink.last() : null;
    }

    /** Sends a request and decodes the answer with ice4j, which also checks its FINGERPRINT. */
    Message send(byte[] request) throws Exception {
        byte[] response = exchange(request);
        return Message.decode(response, 0, response.length);
    }

    /** A fresh nonce from a 401 challenge. */
    String nonce() throws Exception {
        Message challenge = send(StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24).build());
        return new String(((NonceAttribute) challenge.getAttribute(Attribute.NONCE)).getNonce(),
                StandardCharsets.US_ASCII);
    }

    /** Signs a request with the current user's REST credentials and a fresh nonce. */
    byte[] signed(StunRequestBuilder request) throws Exception {
        return request.buildSigned(username, REALM, nonce(), TurnCredentials.password(SECRET, username));
    }

    /** An authenticated UDP Allocate. */
    Message allocate() throws Exception {
        return send(signed(StunRequestBuilder.request(StunResponses.ALLOCATE).uint32(0x0019, 17 << 24)));
    }

    static int errorCode(Message response) {
        ErrorCodeAttribute error = (ErrorCodeAttribute) response.getAttribute(Attribute.ERROR_CODE);
        return error == null ? 0 : error.getErrorCode();
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
