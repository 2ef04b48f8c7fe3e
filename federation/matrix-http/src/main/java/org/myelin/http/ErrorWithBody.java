package org.myelin.http;

import java.util.Map;

/**
 * A failure answered with its own status and JSON body, written as is by {@link MatrixErrorWebExceptionHandler}.
 * For answers whose body is not the usual {@code {errcode, error}}, such as a User-Interactive Authentication
 * challenge, whose first 401 carries no errcode at all.
 */
public class ErrorWithBody extends RuntimeException {

    private final int status;
    private final Map<String, Object> body;

    public ErrorWithBody(int status, String message, Map<String, Object> body) {
        super(message, null, false, false);
        this.status = status;
        this.body = Map.copyOf(body);
    }

    public int status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
