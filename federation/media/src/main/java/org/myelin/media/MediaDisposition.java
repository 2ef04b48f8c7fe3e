package org.myelin.media;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The {@code Content-Disposition} media is served with (client downloads and federation answers alike):
 * {@code inline} only for the spec's list of types safe to render ("Serving inline content") and
 * {@code attachment} otherwise, with the file name encoded as RFC 6266 / RFC 8187 say.
 */
public final class MediaDisposition {

    /** The spec's types that may be served inline. */
    static final Set<String> INLINE_TYPES = Set.of("text/css", "text/plain", "text/csv", "application/json",
            "application/ld+json", "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime", "audio/mp4", "audio/webm", "audio/aac",
            "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac",
            "audio/x-flac");

    private MediaDisposition() {
    }

    /** {@code inline} or {@code attachment}, with the file name if there is one. */
    public static String of(String contentType, String fileName) {
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
