package org.myelin.voip.relay;

import java.net.InetSocketAddress;

/**
 * The client-side 5-tuple an allocation is keyed by (RFC 8656 §2): transport, client address and the server address
 * the client reached.
 */
record FiveTuple(Transport transport, InetSocketAddress client, InetSocketAddress server) {

    /** The transport between client and server. */
    enum Transport { UDP, TCP, TLS }
}
