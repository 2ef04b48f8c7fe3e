package org.myelin.federation.protocol.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure that reaches a client or a remote server as a standard Matrix error body:
 * {@code {"errcode": ..., "error": ..., ...extras}} with the given HTTP status.
 * Thrown only at boundaries; pure code returns outcomes as values.
 */
public class MatrixException extends RuntimeException {

    private final ErrCode errCode;
    private final int status;
    private final Map<String, Object> extras;

    public MatrixException(ErrCode errCode, String message) {
        this(errCode, errCode.defaultStatus(), message, Map.of());
    }

    public MatrixException(ErrCode errCode, int status, String message) {
        this(errCode, status, message, Map.of());
    }

    public MatrixException(ErrCode errCode, int status, String message, Map<String, Object> extras) {
        super(message, null, false, false);
        this.errCode = errCode;
        this.status = status;
        this.extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public ErrCode errCode() {
        return errCode;
    }

    public int status() {
        return status;
    }

    /** Extra top-level fields of the error body, e.g. {@code retry_after_ms} or {@code soft_logout}. */
    public Map<String, Object> extras() {
        return extras;
    }

    public static MatrixException forbidden(String message) {
        return new MatrixException(ErrCode.M_FORBIDDEN, message);
    }

    public static MatrixException badJson(String message) {
        return new MatrixException(ErrCode.M_BAD_JSON, message);
    }

    public static MatrixException missingParam(String message) {
        return new MatrixException(ErrCode.M_MISSING_PARAM, message);
    }

    public static MatrixException invalidParam(String message) {
        return new MatrixException(ErrCode.M_INVALID_PARAM, message);
    }

    public static MatrixException notFound(String message) {
        return new MatrixException(ErrCode.M_NOT_FOUND, message);
    }

    public static MatrixException limitExceeded(long retryAfterMs) {
        return new MatrixException(ErrCode.M_LIMIT_EXCEEDED, 429, "Too many requests",
                Map.of("retry_after_ms", retryAfterMs));
    }
}
