package org.myelin.voip.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How a stream connection cuts what it sends: over TLS one record per message (coturn's client reads a record as one
 * message and drops a record holding two), over TCP the messages queued together in one write.
 */
class StreamConnectionTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5349);

    @Test
    void overTlsEveryQueuedMessageShouldBeFlushedOnItsOwn() throws Exception {
        assertThat(flushesOfThreeQueuedMessages(FiveTuple.Transport.TLS)).extracting(chunk -> chunk.length)
                .containsExactly(8, 12, 4);
    }

    @Test
    void overTcpMessagesQueuedTogetherShouldGoOutInOneWrite() throws Exception {
        assertThat(flushesOfThreeQueuedMessages(FiveTuple.Transport.TCP)).extracting(chunk -> chunk.length)
                .containsExactly(24);
    }

    private static List<byte[]> flushesOfThreeQueuedMessages(FiveTuple.Transport transport) throws Exception {
        FlushRecordingSocket socket = new FlushRecordingSocket();
        StreamConnection connection = new StreamConnection(socket, new FiveTuple(transport, CLIENT, LOCAL), null,
                closed -> { });
        connection.send(ByteBuffer.wrap(new byte[8]));
        connection.send(ByteBuffer.wrap(new byte[12]));
        connection.send(ByteBuffer.wrap(new byte[4]));
        connection.start();
        try {
            socket.awaitFlushedBytes(24);
            return socket.flushes;
        } finally {
            connection.close();
        }
    }

    /** A connected socket whose output remembers what each flush carried, and whose input waits until closed. */
    private static final class FlushRecordingSocket extends Socket {

        private final List<byte[]> flushes = new CopyOnWriteArrayList<>();
        private final PipedOutputStream feed = new PipedOutputStream();
        private final PipedInputStream input;
        private final OutputStream output = new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                pending.write(b);
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                pending.write(bytes, offset, length);
            }

            @Override
            public synchronized void flush() {
                if (pending.size() > 0) {
                    flushes.add(pending.toByteArray());
                    pending.reset();
                }
            }
        };

        FlushRecordingSocket() throws IOException {
            this.input = new PipedInputStream(feed);
        }

        @Override
        public InputStream getInputStream() {
            return input;
        }

        @Override
        public OutputStream getOutputStream() {
            return output;
        }

        @Override
        public synchronized void close() throws IOException {
            feed.close();
        }

        void awaitFlushedBytes(int expected) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (flushes.stream().mapToInt(chunk -> chunk.length).sum() < expected
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }
}
