package org.myelin.db.notify;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A wake-up: {@code stream} has reached {@code position}, optionally for one room or user ({@code scope}), or the
 * {@linkplain #resync() resync} signal meaning "notifications may have been missed, re-read every position".
 *
 * <p>On the wire (the NOTIFY payload) it is {@code "<stream> <position>"} or {@code "<stream> <position> <scope>"},
 * always far below PostgreSQL's 8000-byte payload limit.
 *
 * @param stream   the stream's name: lower-case letters, digits, {@code _} and {@code .}, at most 64 characters
 * @param position the stream position reached (not negative)
 * @param scope    the room or user ID the change concerns, or null when it concerns no single one
 */
public record StreamPosition(String stream, long position, String scope) {

    private static final Pattern STREAM = Pattern.compile("[a-z][a-z0-9_.]{0,63}");
    private static final String RESYNC_STREAM = "*";
    private static final StreamPosition RESYNC = new StreamPosition(RESYNC_STREAM, -1, null);
    /** Room and user IDs are at most 255 bytes; this bounds the payload well below 8000 bytes. */
    private static final int MAX_SCOPE_BYTES = 255;

    /** Validates the stream name, the position and the scope's size. */
    public StreamPosition {
        boolean resync = RESYNC_STREAM.equals(stream) && position == -1 && scope == null;
        if (!resync && (stream == null || !STREAM.matcher(stream).matches())) {
            throw new IllegalArgumentException("Invalid stream name: " + stream);
        }
        if (!resync && position < 0) {
            throw new IllegalArgumentException("Stream position must not be negative: " + position);
        }
        if (scope != null && (scope.isEmpty() || scope.getBytes(StandardCharsets.UTF_8).length > MAX_SCOPE_BYTES)) {
            throw new IllegalArgumentException("Scope must be 1 to 255 bytes");
        }
    }

    /** {@code stream} reached {@code position}, for no single room or user. */
    public static StreamPosition of(String stream, long position) {
        return new StreamPosition(stream, position, null);
    }

    /** {@code stream} reached {@code position} for the room or user {@code scope}. */
    public static StreamPosition of(String stream, long position, String scope) {
        return new StreamPosition(stream, position, scope);
    }

    /** The signal that notifications may have been missed: subscribers re-read every position they wait on. */
    public static StreamPosition resync() {
        return RESYNC;
    }

    public boolean isResync() {
        return RESYNC_STREAM.equals(stream);
    }

    /** The NOTIFY payload. */
    String toPayload() {
        return scope == null ? stream + " " + position : stream + " " + position + " " + scope;
    }

    /** Reads a NOTIFY payload; null when it is not one of ours (logged by the caller, never fatal). */
    static StreamPosition fromPayload(String payload) {
        if (payload == null) {
            return null;
        }
        String[] parts = payload.split(" ", 3);
        if (parts.length < 2) {
            return null;
        }
        try {
            return new StreamPosition(parts[0], Long.parseLong(parts[1]), parts.length == 3 ? parts[2] : null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
