package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A non-blocking UDP relay socket registered with the {@link RelaySocketLoop}. */
final class UdpRelaySocket implements RelayEndpoint {

    private final DatagramChannel channel;
    private final int port;
    private volatile Allocation allocation;

    UdpRelaySocket(DatagramChannel channel, int port) {
        this.channel = channel;
        this.port = port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void send(ByteBuffer payload, InetSocketAddress peer) throws IOException {
        channel.send(payload, peer);
    }

    @Override
    public void attach(Allocation owner) {
        this.allocation = owner;
    }

    /** The allocation peer datagrams go to, or {@code null} while the Allocate is still being answered. */
    Allocation allocation() {
        return allocation;
    }

    DatagramChannel channel() {
        return channel;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a datagram channel has nothing to flush; the port is free either way
        }
    }
}
