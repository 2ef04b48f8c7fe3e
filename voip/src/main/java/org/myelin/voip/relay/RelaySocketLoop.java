package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread with a selector over every relay socket: binds new relay sockets for the Allocate handler and hands each
 * datagram a peer sends to the {@link DataPath}.
 */
final class RelaySocketLoop implements RelaySocketBinder, Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySocketLoop.class);
    private static final int MAX_DATAGRAM = 65_536;
    private static final int READS_PER_WAKEUP = 64;

    private final InetAddress bindAddress;
    private final DataPath dataPath;
    private final Selector selector;
    private final Queue<UdpRelaySocket> pending = new ConcurrentLinkedQueue<>();
    private final ByteBuffer in = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM + 64);
    private final Thread thread;
    private volatile boolean running = true;

    RelaySocketLoop(InetAddress bindAddress, DataPath dataPath) throws IOException {
        this.bindAddress = bindAddress;
        this.dataPath = dataPath;
        this.selector = Selector.open();
        this.thread = new Thread(this, "myelin-turn-relay");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public RelayEndpoint bind(int port) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            channel.bind(new InetSocketAddress(bindAddress, port));
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        UdpRelaySocket socket = new UdpRelaySocket(channel, port);
        pending.add(socket);
        selector.wakeup();
        return socket;
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select();
                registerPending();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        drain((UdpRelaySocket) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("TURN relay loop stopped", e);
            }
        }
    }

    private void registerPending() {
        UdpRelaySocket socket;
        while ((socket = pending.poll()) != null) {
            try {
                socket.channel().register(selector, SelectionKey.OP_READ, socket);
            } catch (IOException e) {
                socket.close();
            }
        }
    }

    private void drain(UdpRelaySocket socket) {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            in.clear();
            InetSocketAddress peer;
            try {
                peer = (InetSocketAddress) socket.channel().receive(in);
            } catch (IOException e) {
                return;
            }
            if (peer == null) {
                return;
            }
            Allocation allocation = socket.allocation();
            if (allocation != null) {
                in.flip();
                dataPath.fromPeer(allocation, peer, in, out);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            selector.close();
        } catch (IOException ignored) {
            // the selector holds no data; its channels are closed with their allocations
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
