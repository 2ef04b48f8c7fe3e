package org.myelin.http.outbound;

/** A guarded outgoing request that got no usable answer, and why (callers map the reason to their API's error). */
public final class OutboundException extends RuntimeException {

    /** Why the request failed. */
    public enum Reason {
        /** The URL names an IP address the guard refuses. */
        BLOCKED_ADDRESS,
        /** The host has no address, or only addresses the guard refuses. */
        NO_ADDRESS,
        /** The answer is longer than the limit. */
        TOO_LARGE,
        /** More redirects than the limit, or a redirect without a usable Location. */
        BAD_REDIRECT,
        /** Not an absolute http(s) URL with a host. */
        BAD_URL,
        /** Connecting, TLS, the exchange itself, or the time limit. */
        FAILED
    }

    private final Reason reason;

    public OutboundException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
