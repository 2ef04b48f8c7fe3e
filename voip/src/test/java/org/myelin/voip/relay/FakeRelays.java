package org.myelin.voip.relay;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Relay sockets without sockets: records what would be sent to peers, and can refuse chosen ports. */
final class FakeRelays implements RelaySocketBinder {

    /** A datagram a relay would have sent. */
    record Sent(int relayPort, InetSocketAddress peer, byte[] payload) {
    }

    final List<Sent> sent = new ArrayList<>();
    final List<Endpoint> bound = new ArrayList<>();
    final Set<Integer> busyPorts = new HashSet<>();

    @Override
    public RelayEndpoint bind(int port) throws IOException {
        if (busyPorts.contains(port)) {
            throw new BindException("port " + port + " in use");
        }
        Endpoint endpoint = new Endpoint(port);
        bound.add(endpoint);
        return endpoint;
    }

    /** A fake relay socket. */
    final class Endpoint implements RelayEndpoint {
        private final int port;
        Allocation allocation;
        boolean closed;

        Endpoint(int port) {
            this.port = port;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void send(ByteBuffer payload, InetSocketAddress peer) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            sent.add(new Sent(port, peer, copy));
        }

        @Override
        public void attach(Allocation owner) {
            allocation = owner;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
