package org.myelin.voip.relay;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.ice4j.message.MessageFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a client sends to the relay's listening ports, whatever the transport: ChannelData and Send indications
 * go to the {@link DataPath}; Binding requests are answered without credentials (RFC 8489); TURN requests are
 * authenticated, checked for unknown comprehension-required attributes (420) and handed to their handler. Each
 * request's response is cached by transaction so retransmissions get the same answer.
 */
final class ClientMessageHandler {

    private static final Set<Integer> KNOWN_REQUIRED_ATTRIBUTES = Set.of(
            0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x000C, 0x000D, 0x0010, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016,
            0x0017, 0x0018, 0x0019, 0x0020, 0x0022, 0x0024, 0x0025);

    private static final Logger LOG = LoggerFactory.getLogger(ClientMessageHandler.class);

    private final DataPath dataPath;
    private final LongTermAuthenticator authenticator;
    private final TransactionCache transactions;
    private final AllocateHandler allocations;
    private final PermissionHandler permissions;

    ClientMessageHandler(DataPath dataPath, LongTermAuthenticator authenticator, TransactionCache transactions,
            AllocateHandler allocations, PermissionHandler permissions) {
        this.dataPath = dataPath;
        this.authenticator = authenticator;
        this.transactions = transactions;
        this.allocations = allocations;
        this.permissions = permissions;
    }

    /**
     * Handles one message from a client; responses go to {@code client}.
     *
     * @param frame the message from its position to its limit
     */
    void onMessage(FiveTuple fiveTuple, ClientSink client, ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            return;
        }
        if (DataPath.isChannelData(frame.get(frame.position()))) {
            dataPath.fromClientChannelData(fiveTuple, frame);
            return;
        }
        byte[] bytes;
        if (frame.hasArray() && frame.arrayOffset() + frame.position() == 0) {
            bytes = frame.array();
        } else {
            bytes = new byte[frame.remaining()];
            frame.duplicate().get(bytes);
        }
        RawStunMessage message = RawStunMessage.parse(bytes, frame.remaining());
        if (message == null) {
            return;
        }
        int messageClass = StunResponses.messageClass(message.type());
        if (messageClass == 0x0010) {
            if (StunResponses.method(message.type()) == StunResponses.SEND) {
                dataPath.fromClientSend(fiveTuple, message);
            }
        } else if (messageClass == 0) {
            byte[] response = respond(fiveTuple, client, message);
            if (response != null) {
                client.send(ByteBuffer.wrap(response));
            }
        }
    }

    /** The response to a request, or {@code null} when it is to be dropped silently (bad FINGERPRINT). */
    byte[] respond(FiveTuple fiveTuple, ClientSink client, RawStunMessage message) {
        byte[] transactionId = message.transactionId();
        byte[] cached = transactions.get(fiveTuple, transactionId);
        if (cached != null) {
            return cached;
        }
        if (!message.fingerprintMatches()) {
            LOG.debug("dropping a request with a bad FINGERPRINT from {}", fiveTuple.client());
            return null;
        }
        byte[] response = answer(fiveTuple, client, message);
        transactions.put(fiveTuple, transactionId, response);
        return response;
    }

    private byte[] answer(FiveTuple fiveTuple, ClientSink client, RawStunMessage message) {
        int method = StunResponses.method(message.type());
        byte[] transactionId = message.transactionId();
        List<Integer> unknown = message.unknownRequiredAttributes(KNOWN_REQUIRED_ATTRIBUTES::contains);
        if (method == StunResponses.BINDING) {
            return unknown.isEmpty()
                    ? StunResponses.success(MessageFactory.createBindingResponse(
                            StunResponses.withTransactionId(transactionId),
                            StunResponses.address(fiveTuple.client())), transactionId, null)
                    : StunResponses.unknownAttributes(method, transactionId, unknown, null);
        }
        if (method != StunResponses.ALLOCATE && method != StunResponses.REFRESH
                && method != StunResponses.CREATE_PERMISSION && method != StunResponses.CHANNEL_BIND) {
            return StunResponses.error(method, transactionId, 400, "Bad Request: unsupported method", null);
        }
        LongTermAuthenticator.Outcome outcome = authenticator.authenticate(message);
        if (outcome.rejection() != null) {
            return outcome.rejection();
        }
        if (!unknown.isEmpty()) {
            return StunResponses.unknownAttributes(method, transactionId, unknown, outcome.authenticated().key());
        }
        TurnRequest turnRequest = new TurnRequest(fiveTuple, client, message, outcome.authenticated());
        return switch (method) {
            case StunResponses.ALLOCATE -> allocations.handle(turnRequest);
            case StunResponses.REFRESH -> permissions.refresh(turnRequest);
            case StunResponses.CREATE_PERMISSION -> permissions.createPermission(turnRequest);
            default -> permissions.channelBind(turnRequest);
        };
    }
}
