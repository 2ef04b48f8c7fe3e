package org.myelin.db.room;

/**
 * One bound of a timeline page: a (topological, stream) position, or, with {@code topological} null, a stream
 * position alone (the events with {@code stream_ordering <= stream} are before it, the others after it).
 */
public record PageBound(Long topological, long stream) {

    /** A bound by stream ordering alone. */
    public static PageBound stream(long stream) {
        return new PageBound(null, stream);
    }

    /** Whether the bound is a stream position alone. */
    public boolean streamOnly() {
        return topological == null;
    }
}
