package org.myelin.voip.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The STUN/TURN UDP listener: one thread receiving client datagrams and handing them to the handler. */
final class UdpListener implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final ClientMessageHandler handler;
    private final Thread thread;

    UdpListener(InetSocketAddress bindAddress, ClientMessageHandler handler) throws IOException {
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1024 * 1024);
            channel.bind(bindAddress);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.handler = handler;
        this.thread = new Thread(this, "myelin-turn-udp");
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
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                InetSocketAddress client = (InetSocketAddress) channel.receive(buffer);
                buffer.flip();
                FiveTuple fiveTuple = new FiveTuple(FiveTuple.Transport.UDP, client, localAddress);
                handler.onMessage(fiveTuple, new Sink(channel, client), buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("TURN UDP listener: dropping a datagram", e);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(2000);
        } catch (IOException e) {
            LOG.debug("closing the TURN UDP listener", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends to one client through the listener socket, so replies come from the port it talked to. */
    private record Sink(DatagramChannel channel, InetSocketAddress client) implements ClientSink {

        @Override
        public void send(ByteBuffer frame) {
            try {
                channel.send(frame, client);
            } catch (IOException e) {
                LOG.debug("TURN UDP send to {} failed", client, e);
            }
        }

        @Override
        public boolean stream() {
            return false;
        }
    }
}
