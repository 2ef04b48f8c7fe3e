package org.myelin.clientapi.media;

import java.util.Optional;

import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.media.MediaIds;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Reads and checks the media endpoints' path, query and header parameters. */
final class MediaParams {

    /** Upload names and Content-Types longer than this are refused. */
    static final int MAX_NAME_LENGTH = 255;
    /** The default wait for a pending upload (the spec's 20 seconds). */
    static final long DEFAULT_TIMEOUT_MS = 20_000;

    private MediaParams() {
    }

    /**
     * The media a path names. An ID with characters the spec does not allow cannot exist: 404 M_NOT_FOUND, never
     * a lookup (so it can never become a path or a store key).
     */
    static MediaKey key(ServerRequest request) {
        String mediaId = request.pathVariable("mediaId");
        if (!MediaIds.isValid(mediaId)) {
            throw MatrixException.notFound("Media not found");
        }
        return new MediaKey(request.pathVariable("serverName"), mediaId);
    }

    /** The uploader's Content-Type as sent (application/octet-stream when absent); M_INVALID_PARAM if malformed. */
    static String contentType(ServerRequest request) {
        String raw = request.headers().firstHeader(HttpHeaders.CONTENT_TYPE);
        if (raw == null || raw.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        if (raw.length() > MAX_NAME_LENGTH) {
            throw MatrixException.invalidParam("Content-Type is too long");
        }
        try {
            MediaType.parseMediaType(raw);
        } catch (InvalidMediaTypeException e) {
            throw MatrixException.invalidParam("Content-Type is not a valid media type");
        }
        return raw.trim();
    }

    /** The optional {@code filename} query parameter. */
    static String uploadName(ServerRequest request) {
        return request.queryParam("filename").filter(name -> !name.isEmpty()).map(MediaParams::checkedName)
                .orElse(null);
    }

    /** A file name to offer: at most 255 characters, no control characters or lone surrogates. */
    static String checkedName(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw MatrixException.invalidParam("File name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        // codePoints() yields an unpaired surrogate as itself: text no UTF-8 can carry.
        if (name.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f || (c >= 0xd800 && c <= 0xdfff))) {
            throw MatrixException.invalidParam("File name must not contain control characters");
        }
        return name;
    }

    static long timeoutMs(ServerRequest request) {
        return request.queryParam("timeout_ms").map(t -> {
            try {
                long value = Long.parseLong(t);
                if (value < 0) {
                    throw MatrixException.invalidParam("timeout_ms must not be negative");
                }
                return value;
            } catch (NumberFormatException e) {
                throw MatrixException.invalidParam("timeout_ms must be an integer");
            }
        }).orElse(DEFAULT_TIMEOUT_MS);
    }

    /** A required positive integer query parameter. */
    static int positiveInt(ServerRequest request, String name) {
        String value = request.queryParam(name)
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter " + name));
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 1) {
                throw MatrixException.invalidParam(name + " must be a positive integer");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name + " must be a positive integer");
        }
    }

    /** An optional boolean query parameter ({@code true} or {@code false}). */
    static boolean bool(ServerRequest request, String name) {
        Optional<String> value = request.queryParam(name);
        if (value.isEmpty()) {
            return false;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name + " must be true or false");
        };
    }
}
