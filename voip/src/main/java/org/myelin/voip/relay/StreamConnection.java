package org.myelin.voip.relay;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * One TCP or TLS client connection. A reader thread splits the byte stream into STUN messages (by their length field)
 * and ChannelData messages (length padded to four bytes, RFC 8656 §12.5); a writer thread drains a bounded queue, so a
 * slow client loses packets instead of stalling the relay loop. Over TCP, messages queued together go out in one
 * write; over TLS each message is its own record, as coturn sends them, because TURN-over-TLS clients such as coturn's
 * read one message per record and drop a record holding two.
 */
final class StreamConnection implements ClientSink {

    private static final int QUEUE_CAPACITY = 1024;

    private final Socket socket;
    private final FiveTuple fiveTuple;
    private final ClientMessageHandler handler;
    private final Consumer<StreamConnection> onClose;
    private final boolean recordPerMessage;
    private final BlockingQueue<byte[]> outbound = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread reader;
    private final Thread writer;
    private volatile boolean closed;

    StreamConnection(Socket socket, FiveTuple fiveTuple, ClientMessageHandler handler,
            Consumer<StreamConnection> onClose) {
        this.socket = socket;
        this.fiveTuple = fiveTuple;
        this.handler = handler;
        this.onClose = onClose;
        this.recordPerMessage = fiveTuple.transport() == FiveTuple.Transport.TLS;
        String name = "myelin-turn-" + fiveTuple.transport().name().toLowerCase() + "-" + fiveTuple.client();
        this.reader = new Thread(this::readLoop, name + "-in");
        this.writer = new Thread(this::writeLoop, name + "-out");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    FiveTuple fiveTuple() {
        return fiveTuple;
    }

    void start() {
        reader.start();
        writer.start();
    }

    @Override
    public void send(ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        if (!closed) {
            outbound.offer(copy);
        }
    }

    @Override
    public boolean stream() {
        return true;
    }

    private void readLoop() {
        byte[] buffer = new byte[65_536 + RawStunMessage.HEADER_LENGTH];
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (!closed) {
                in.readFully(buffer, 0, 4);
                int declared = ((buffer[2] & 0xFF) << 8) | (buffer[3] & 0xFF);
                int total;
                if (DataPath.isChannelData(buffer[0])) {
                    total = 4 + ((declared + 3) & ~3);
                } else if ((buffer[0] & 0xC0) == 0) {
                    total = RawStunMessage.HEADER_LENGTH + declared;
                } else {
                    return;
                }
                in.readFully(buffer, 4, total - 4);
                handler.onMessage(fiveTuple, this, ByteBuffer.wrap(buffer, 0, total));
            }
        } catch (IOException e) {
            // end of stream, reset or closed locally: either way the connection is over
        } finally {
            close();
        }
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024)) {
            while (!closed) {
                byte[] frame = outbound.take();
                if (frame.length == 0) {
                    return;
                }
                out.write(frame);
                if (recordPerMessage || outbound.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the socket once and reports the connection gone. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        outbound.clear();
        outbound.offer(new byte[0]);
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to deliver on a connection being dropped
        }
        onClose.accept(this);
    }
}
