package org.myelin.voip.relay;

import java.io.IOException;

/** Opens relay sockets; the I/O layer binds UDP sockets, tests substitute fakes. */
interface RelaySocketBinder {

    /** Binds a relay socket to this port, or fails when the port is taken by another process. */
    RelayEndpoint bind(int port) throws IOException;
}
