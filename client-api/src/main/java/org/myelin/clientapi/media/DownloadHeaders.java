package org.myelin.clientapi.media;

import org.myelin.media.MediaDisposition;
import org.springframework.http.HttpHeaders;

/**
 * The headers of every media download and thumbnail: the {@link MediaDisposition}; and, as Synapse sends them, a
 * sandboxing Content-Security-Policy, {@code X-Content-Type-Options: nosniff} and
 * {@code Cross-Origin-Resource-Policy: cross-origin}.
 */
final class DownloadHeaders {

    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; script-src 'none'; "
            + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

    private DownloadHeaders() {
    }

    static void apply(HttpHeaders headers, String contentType, String fileName) {
        headers.set(HttpHeaders.CONTENT_TYPE, contentType);
        headers.set(HttpHeaders.CONTENT_DISPOSITION, MediaDisposition.of(contentType, fileName));
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cross-Origin-Resource-Policy", "cross-origin");
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    }
}
