package org.myelin.homeserver.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP client speaking HTTP/1.1 by hand, for what a well-behaved client library would never send. */
final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean ended;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
    }

    /** Sends {@code text} as ASCII; false when the server has already closed the connection. */
    boolean send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads for at most {@code millis}: returns true once the server has closed its side (end of stream or reset),
     * false if it is still open then. What arrived is in {@link #received()}.
     */
    boolean awaitClose(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!ended) {
            long left = (deadline - System.nanoTime() + 999_999) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    ended = true;
                } else {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                ended = true;
            }
        }
        return true;
    }

    /** Reads until {@code marker} has arrived or {@code millis} have passed; true if it arrived. */
    boolean awaitText(String marker, long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!received().contains(marker) && !ended) {
            long left = (deadline - System.nanoTime() + 999_999) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    ended = true;
                } else {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
        return received().contains(marker);
    }

    String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
