package org.myelin.federation.server.client;

import java.util.Optional;

/**
 * A federation request that did not get a successful answer: the destination could not be reached or resolved,
 * refused by the outbound guard, timed out, answered too much, or answered with an error status (then
 * {@link #status()} and, if the body was a Matrix error, {@link #errcode()} say which).
 */
public final class RemoteServerException extends RuntimeException {

    private final int status;
    private final String errcode;
    private final boolean tooLarge;
    private final boolean noSuchHost;

    RemoteServerException(String message, int status, String errcode) {
        this(message, status, errcode, false, false);
    }

    private RemoteServerException(String message, int status, String errcode, boolean tooLarge, boolean noSuchHost) {
        super(message);
        this.status = status;
        this.errcode = errcode;
        this.tooLarge = tooLarge;
        this.noSuchHost = noSuchHost;
    }

    static RemoteServerException unreachable(String message) {
        return new RemoteServerException(message, 0, null);
    }

    static RemoteServerException tooLarge(String message) {
        return new RemoteServerException(message, 0, null, true, false);
    }

    static RemoteServerException noSuchHost(String message) {
        return new RemoteServerException(message, 0, null, false, true);
    }

    /**
     * DNS answered that the destination's name does not exist (not a lookup that failed or timed out): asking again
     * will not help, so callers may treat it as the client's mistake.
     */
    public boolean noSuchHost() {
        return noSuchHost;
    }

    /** The answer was longer than the request's limit. */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** The HTTP status the remote server answered with; 0 when it gave no answer. */
    public int status() {
        return status;
    }

    /** The Matrix errcode of the answer, when it had one. */
    public Optional<String> errcode() {
        return Optional.ofNullable(errcode);
    }
}
