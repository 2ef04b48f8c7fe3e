package org.myelin.clientapi.http;

import java.util.Map;

/**
 * A User-Interactive Authentication 401: the body lists the flows, params, session and completed stages, and
 * (after a failed stage) an errcode and error. Not a {@code MatrixException} because the first challenge carries
 * no errcode at all.
 */
public class UiaChallenge extends RuntimeException {

    private final Map<String, Object> body;

    public UiaChallenge(Map<String, Object> body) {
        super("User-interactive authentication required", null, false, false);
        this.body = Map.copyOf(body);
    }

    public Map<String, Object> body() {
        return body;
    }
}
