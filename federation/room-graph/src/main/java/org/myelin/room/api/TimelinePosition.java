package org.myelin.room.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.error.MatrixException;

/**
 * A position in a room's timeline, ordered by topological ordering (depth) and then by stream ordering. Its token
 * form, {@code t<topological>-<stream>}, is what /messages hands out as {@code start}/{@code end}; clients treat
 * it as opaque. Backfilled events have stream orderings below zero, so a token's stream part may be negative.
 */
public record TimelinePosition(long topological, long stream) implements RoomPosition,
        Comparable<TimelinePosition> {

    /** Before every event. */
    public static final TimelinePosition START = new TimelinePosition(0, 0);
    /** After every event. */
    public static final TimelinePosition END = new TimelinePosition(Long.MAX_VALUE, Long.MAX_VALUE);

    private static final Pattern TOKEN = Pattern.compile("t(\\d{1,19})-(-?\\d{1,19})");

    /** Parses a token; a malformed one is 400 M_INVALID_PARAM. */
    public static TimelinePosition parse(String token) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw MatrixException.invalidParam("Invalid pagination token");
        }
        try {
            return new TimelinePosition(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid pagination token");
        }
    }

    public String token() {
        return "t" + topological + "-" + stream;
    }

    @Override
    public int compareTo(TimelinePosition other) {
        int byTopo = Long.compare(topological, other.topological);
        return byTopo != 0 ? byTopo : Long.compare(stream, other.stream);
    }
}
