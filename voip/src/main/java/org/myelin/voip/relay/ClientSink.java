package org.myelin.voip.relay;

import java.nio.ByteBuffer;

/** Where messages for one client go: its UDP address through the listener socket, or its TCP/TLS connection. */
interface ClientSink {

    /** Sends one complete STUN or ChannelData frame; failures drop it (media is loss tolerant). */
    void send(ByteBuffer frame);

    /** Whether this is a stream transport, on which ChannelData is padded to a multiple of four bytes. */
    boolean stream();
}
