package org.myelin.http;

import java.util.List;

/**
 * The request limits every Matrix API shares; the homeserver module builds it from {@code myelin.limits.*}.
 *
 * @param maxRequestBytes the largest request body accepted, declared ({@code Content-Length}) or chunked
 * @param pathLimits      paths whose bodies have a limit of their own instead (media uploads), which their handlers
 *                        also enforce on chunked bodies
 */
public record HttpLimits(long maxRequestBytes, List<PathLimit> pathLimits) {

    /** Bodies of requests whose path starts with {@code prefix} may have up to {@code maxBytes}. */
    public record PathLimit(String prefix, long maxBytes) {
    }

    public HttpLimits(long maxRequestBytes) {
        this(maxRequestBytes, List.of());
    }

    public HttpLimits {
        pathLimits = List.copyOf(pathLimits);
    }

    /** The body limit of a request to {@code path}. */
    public long maxBytesFor(String path) {
        for (PathLimit limit : pathLimits) {
            if (path.startsWith(limit.prefix())) {
                return limit.maxBytes();
            }
        }
        return maxRequestBytes;
    }
}
