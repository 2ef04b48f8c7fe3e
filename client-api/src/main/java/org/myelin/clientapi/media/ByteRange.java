package org.myelin.clientapi.media;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range} header (RFC 9110 §14): {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}.
 * Anything else (several ranges, other units, syntax errors) is ignored and the whole content is sent, as the RFC
 * allows; a well-formed range starting past the end is unsatisfiable (416).
 */
record ByteRange(long start, long length) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** What a Range header asks of content of {@code size} bytes. */
    sealed interface Outcome {
    }

    /** No (usable) Range header: the whole content, 200. */
    record Whole() implements Outcome {
    }

    /** A part, 206. */
    record Part(ByteRange range) implements Outcome {
    }

    /** A range past the end, 416. */
    record Unsatisfiable() implements Outcome {
    }

    static Outcome of(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.get().trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                return new Unsatisfiable();
            }
            long start = Math.max(0, size - suffix);
            return size == 0 ? new Unsatisfiable() : new Part(new ByteRange(start, size - start));
        }
        long start = Long.parseLong(m.group(1));
        if (start >= size) {
            return new Unsatisfiable();
        }
        long end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        if (end < start) {
            return new Whole();
        }
        return new Part(new ByteRange(start, end - start + 1));
    }

    /** The Content-Range of this part of content of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
