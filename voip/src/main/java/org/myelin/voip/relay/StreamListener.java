package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts TURN-over-TCP or TURN-over-TLS connections and runs a {@link StreamConnection} for each. */
final class StreamListener implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamListener.class);

    private final ServerSocket serverSocket;
    private final FiveTuple.Transport transport;
    private final ClientMessageHandler handler;
    private final Consumer<FiveTuple> onDisconnect;
    private final InetSocketAddress localAddress;
    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    /**
     * @param factory a plain or TLS server socket factory
     * @param onDisconnect told the 5-tuple of each closed connection, whose allocation then goes (RFC 8656 §3.1)
     */
    StreamListener(ServerSocketFactory factory, InetSocketAddress bindAddress, FiveTuple.Transport transport,
            ClientMessageHandler handler, Consumer<FiveTuple> onDisconnect) throws IOException {
        this.serverSocket = factory.createServerSocket();
        try {
            serverSocket.setReuseAddress(true);
            serverSocket.bind(bindAddress, 256);
        } catch (IOException e) {
            serverSocket.close();
            throw e;
        }
        if (serverSocket instanceof SSLServerSocket tls) {
            tls.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        }
        this.transport = transport;
        this.handler = handler;
        this.onDisconnect = onDisconnect;
        this.localAddress = (InetSocketAddress) serverSocket.getLocalSocketAddress();
        this.thread = new Thread(this, "myelin-turn-" + transport.name().toLowerCase() + "-accept");
        this.thread.setDaemon(true);
    }

    InetSocketAddress localAddress() {
        return localAddress;
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true);
                FiveTuple fiveTuple = new FiveTuple(transport,
                        (InetSocketAddress) socket.getRemoteSocketAddress(), localAddress);
                StreamConnection connection = new StreamConnection(socket, fiveTuple, handler, closed -> {
                    connections.remove(closed);
                    onDisconnect.accept(closed.fiveTuple());
                });
                connections.add(connection);
                connection.start();
            } catch (IOException e) {
                if (!serverSocket.isClosed()) {
                    LOG.warn("TURN {} accept failed", transport, e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException e) {
            LOG.debug("closing the TURN {} listener", transport, e);
        }
        connections.forEach(StreamConnection::close);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
