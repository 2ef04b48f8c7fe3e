package org.myelin.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;

/**
 * A body over the limit is answered 413 M_TOO_LARGE every time, whether its Content-Length announces it or it
 * arrives chunked: the answer goes out before the body is read, and must not be lost to a connection reset.
 */
class RequestTooLargeIT extends HomeserverIT {

    private static final int ROUNDS = 50;
    private static final byte[] TWO_MEGABYTES = body(2 * 1024 * 1024);

    @Test
    void twoMegabyteBodiesWithContentLengthShouldAllGet413() throws Exception {
        assertAll413("Content-Length: " + TWO_MEGABYTES.length, TWO_MEGABYTES);
    }

    @Test
    void twoMegabyteChunkedBodiesShouldAllGet413() throws Exception {
        assertAll413("Transfer-Encoding: chunked", chunked(TWO_MEGABYTES));
    }

    /**
     * Each client sends one request per connection ({@code Connection: close}) and all of it, as a simple client
     * does, and only then reads the answer. Before lingering close, every one of these got "Connection reset".
     */
    private void assertAll413(String framing, byte[] body) throws Exception {
        int answered = 0;
        for (int i = 0; i < ROUNDS; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /_matrix/client/v3/login HTTP/1.1\r\nHost: test.local\r\n"
                        + "Connection: close\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int offset = 0; offset < body.length; offset += 65536) {
                    out.write(body, offset, Math.min(65536, body.length - offset));
                }
                out.flush();
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).as("round %d", i).startsWith("HTTP/1.1 413")
                        .contains("\"errcode\":\"M_TOO_LARGE\"");
                answered++;
            }
        }
        assertThat(answered).isEqualTo(ROUNDS);
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int length = Math.min(8192, body.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] body(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        bytes[0] = '{';
        bytes[size - 1] = '}';
        return bytes;
    }
}
