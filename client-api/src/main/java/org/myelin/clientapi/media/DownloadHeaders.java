package org.myelin.clientapi.media;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.myelin.media.ThumbnailService;
import org.springframework.http.HttpHeaders;

/**
 * The headers of every media download and thumbnail: a {@code Content-Disposition} that is {@code inline} only for
 * the spec's list of types safe to render ("Serving inline content") and {@code attachment} otherwise, with the
 * file name encoded as RFC 6266 / RFC 8187 say; and, as Synapse sends them, a sandboxing Content-Security-Policy,
 * {@code X-Content-Type-Options: nosniff} and {@code Cross-Origin-Resource-Policy: cross-origin}.
 */
final class DownloadHeaders {

    /** The spec's types that may be served inline. */
    static final Set<String> INLINE_TYPES = Set.of("text/css", "text/plain", "text/csv", "application/json",
            "application/ld+json", "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime", "audio/mp4", "audio/webm", "audio/aac",
            "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac",
            "audio/x-flac");

    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; script-src 'none'; "
            + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

    private DownloadHeaders() {
    }

    static void apply(HttpHeaders headers, String contentType, String fileName) {
        headers.set(HttpHeaders.CONTENT_TYPE, contentType);
        headers.set(HttpHeaders.CONTENT_DISPOSITION, disposition(contentType, fileName));
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cross-Origin-Resource-Policy", "cross-origin");
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
    }

    /** {@code inline} or {@code attachment}, with the file name if there is one. */
    static String disposition(String contentType, String fileName) {
        String type = INLINE_TYPES.contains(ThumbnailService.baseType(contentType)) ? "inline" : "attachment";
        return fileName == null || fileName.isEmpty() ? type : type + "; " + fileNameParameter(fileName);
    }

    /**
     * {@code filename="name"} for printable ASCII (quotes and backslashes escaped), and
     * {@code filename*=utf-8''percent-encoded} for anything else (RFC 8187), which every current browser reads.
     */
    static String fileNameParameter(String fileName) {
        boolean printableAscii = fileName.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (printableAscii) {
            return "filename=\"" + fileName.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        StringBuilder encoded = new StringBuilder("filename*=utf-8''");
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
