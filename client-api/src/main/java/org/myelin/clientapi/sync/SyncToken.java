package org.myelin.clientapi.sync;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.error.MatrixException;

/**
 * The opaque {@code since}/{@code next_batch} token: one position per stream by name, the {@code events} stream and
 * every {@link SyncStreamSource}'s, written {@code s<name>-<position>~<name>-<position>...} (stream names never
 * contain {@code -} or {@code ~}). Forward-compatible: a stream the token does not name is at 0 (the stream starts
 * from scratch), and a name this server does not know is ignored.
 */
public record SyncToken(Map<String, Long> positions) {

    /** The name of the room events stream. */
    public static final String EVENTS = "events";

    private static final Pattern PART = Pattern.compile("([a-z][a-z0-9_.]{0,63})-(\\d{1,18})");
    private static final int MAX_LENGTH = 4096;

    public SyncToken {
        positions = Map.copyOf(positions);
    }

    /** Reads a token; anything this server did not write is 400 M_INVALID_PARAM. */
    public static SyncToken parse(String token) {
        if (token.length() < 2 || token.length() > MAX_LENGTH || token.charAt(0) != 's') {
            throw invalid();
        }
        Map<String, Long> positions = new TreeMap<>();
        for (String part : token.substring(1).split("~", -1)) {
            var m = PART.matcher(part);
            if (!m.matches() || positions.put(m.group(1), Long.parseLong(m.group(2))) != null) {
                throw invalid();
            }
        }
        return new SyncToken(positions);
    }

    /** The stream's position, 0 when the token does not name it. */
    public long position(String stream) {
        return positions.getOrDefault(stream, 0L);
    }

    /** The token's text. */
    public String format() {
        StringBuilder out = new StringBuilder("s");
        new TreeMap<>(positions).forEach((name, position) -> {
            if (out.length() > 1) {
                out.append('~');
            }
            out.append(name).append('-').append(position);
        });
        return out.toString();
    }

    private static MatrixException invalid() {
        return MatrixException.invalidParam("Invalid since token");
    }
}
