package org.myelin.clientapi.media;

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
}
