package org.myelin.homeserver.http;

import java.nio.charset.StandardCharsets;

/**
 * A complete HTTP/1.1 response carrying a Matrix error, as bytes, for the handlers that answer below the HTTP codec
 * (a request the codec could not decode, or one that never arrived): they close the connection after it.
 */
final class RawMatrixError {

    private RawMatrixError() {
    }

    static byte[] closing(int status, String reason, String errcode, String error) {
        byte[] body = ("{\"errcode\":\"" + errcode + "\",\"error\":\"" + error + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
