package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** The relay side of an allocation: a UDP socket on a relay port that talks to peers. */
interface RelayEndpoint {

    /** The port the relay socket is bound to. */
    int port();

    /** Sends one datagram to a peer. */
    void send(ByteBuffer payload, InetSocketAddress peer) throws IOException;

    /** Delivers the datagrams peers send to this socket to an allocation from now on. */
    void attach(Allocation allocation);

    /** Releases the socket; idempotent. */
    void close();
}
