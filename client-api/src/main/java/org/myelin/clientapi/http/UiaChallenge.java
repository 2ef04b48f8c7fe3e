package org.myelin.clientapi.http;

import java.util.Map;

import org.myelin.http.ErrorWithBody;

/**
 * A User-Interactive Authentication 401: the body lists the flows, params, session and completed stages, and
 * (after a failed stage) an errcode and error. Not a {@code MatrixException} because the first challenge carries
 * no errcode at all.
 */
public class UiaChallenge extends ErrorWithBody {

    public UiaChallenge(Map<String, Object> body) {
        super(401, "User-interactive authentication required", body);
    }
}
