package org.myelin.voip.relay;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;

/**
 * Builds STUN responses with ice4j's message factories and encoder, then signs them here: MESSAGE-INTEGRITY with the
 * request's long-term key (when authenticated) and always FINGERPRINT.
 */
final class StunResponses {

    static final int BINDING = 0x0001;
    static final int ALLOCATE = 0x0003;
    static final int REFRESH = 0x0004;
    static final int SEND = 0x0006;
    static final int CREATE_PERMISSION = 0x0008;
    static final int CHANNEL_BIND = 0x0009;

    private static final byte[] SOFTWARE = "Myelin TURN".getBytes(StandardCharsets.US_ASCII);

    private StunResponses() {
    }

    /** The method of a message type, with the class bits (0x0110) removed. */
    static int method(int messageType) {
        return messageType & 0x3EEF;
    }

    /** The class bits of a message type: 0x0000 request, 0x0010 indication, 0x0100 success, 0x0110 error. */
    static int messageClass(int messageType) {
        return messageType & 0x0110;
    }

    /**
     * A request carrying only a transaction id, for ice4j factories that take the request to XOR addresses with.
     * Requests are read with {@link RawStunMessage}, since ice4j's decoder rejects valid ones (see the ADR).
     */
    static Request withTransactionId(byte[] transactionId) {
        Request request = MessageFactory.createBindingRequest();
        try {
            request.setTransactionID(transactionId);
        } catch (StunException e) {
            throw new IllegalArgumentException("bad transaction id", e);
        }
        return request;
    }

    /** An ice4j transport address for a socket address. */
    static TransportAddress address(InetSocketAddress address) {
        return new TransportAddress(address, Transport.UDP);
    }

    /**
     * Encodes a success response and signs it.
     *
     * @param key the long-term key, or {@code null} for FINGERPRINT only
     */
    static byte[] success(Response response, byte[] transactionId, byte[] key) {
        return encode(response, transactionId, key);
    }

    /**
     * An error response for the request's method.
     *
     * @param key the long-term key when the request was authenticated, else {@code null}
     * @param extra further attributes (REALM, NONCE, UNKNOWN-ATTRIBUTES)
     */
    static byte[] error(int method, byte[] transactionId, int code, String reason, byte[] key, Attribute... extra) {
        Response response = MessageFactory.createBindingErrorResponse((char) code, reason);
        response.setMessageType((char) (method | 0x0110));
        for (Attribute attribute : extra) {
            response.putAttribute(attribute);
        }
        return encode(response, transactionId, key);
    }

    /** 420 Unknown Attribute listing the comprehension-required types the server does not understand. */
    static byte[] unknownAttributes(int method, byte[] transactionId, Iterable<Integer> types, byte[] key) {
        UnknownAttributesAttribute unknown = AttributeFactory.createUnknownAttributesAttribute();
        for (int type : types) {
            unknown.addAttributeID((char) type);
        }
        return error(method, transactionId, 420, "Unknown Attribute", key, unknown);
    }

    private static byte[] encode(Response response, byte[] transactionId, byte[] key) {
        try {
            response.setTransactionID(transactionId);
        } catch (StunException e) {
            throw new IllegalArgumentException("bad transaction id", e);
        }
        response.putAttribute(AttributeFactory.createSoftwareAttribute(SOFTWARE));
        return StunIntegrity.sign(response.encode(null), key);
    }
}
