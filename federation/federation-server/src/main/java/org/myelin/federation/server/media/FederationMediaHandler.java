package org.myelin.federation.server.media;

import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.QueryParams;
import org.myelin.media.MediaContent;
import org.myelin.media.MediaIds;
import org.myelin.media.MediaService;
import org.myelin.media.ThumbnailService;
import org.myelin.media.store.MediaStore;
import org.myelin.media.thumbnail.ThumbnailBox;
import org.myelin.media.thumbnail.ThumbnailMethod;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * This server's media for other servers: {@code GET /_matrix/federation/v1/media/download/{mediaId}} and
 * {@code /thumbnail/{mediaId}}, answered multipart/mixed (metadata, then the bytes streamed from the store). Only
 * media uploaded here is served (never a cached copy of a third server's), waiting for a pending upload as
 * {@code timeout_ms} says; quarantined or unknown media is 404 M_NOT_FOUND.
 */
final class FederationMediaHandler {


    private final String self;
    private final MediaService media;
    private final ThumbnailService thumbnails;
    private final MediaStore store;

    FederationMediaHandler(String self, MediaService media, ThumbnailService thumbnails, MediaStore store) {
        this.self = self;
        this.media = media;
        this.thumbnails = thumbnails;
        this.store = store;
    }

    Mono<ServerResponse> download(ServerRequest request, SignedRequest signed) {
        MediaKey key = key(request);
        return media.awaitUploaded(key, waitMs(request)).flatMap(row -> {
            MediaContent content = MediaService.contentOf(row);
            return respond(content, content.fileName());
        });
    }

    Mono<ServerResponse> thumbnail(ServerRequest request, SignedRequest signed) {
        MediaKey key = key(request);
        ThumbnailMethod method = ThumbnailMethod.ofWire(request.queryParam("method").orElse("scale"));
        if (method == null) {
            throw MatrixException.invalidParam("method must be crop or scale");
        }
        ThumbnailBox box = new ThumbnailBox(QueryParams.positiveInt(request, "width"),
                QueryParams.positiveInt(request, "height"), method);
        boolean animated = QueryParams.bool(request, "animated");
        return media.awaitUploaded(key, waitMs(request))
                .flatMap(row -> thumbnails.thumbnail(row, box, animated))
                .flatMap(content -> respond(content, null));
    }

    private Mono<ServerResponse> respond(MediaContent content, String fileName) {
        MultipartMedia.Body body = MultipartMedia.of(content.contentType(), fileName, content.size(),
                store.read(content.sha256(), 0, content.size()));
        return ServerResponse.ok()
                .header(HttpHeaders.CONTENT_TYPE, body.contentType())
                .header(HttpHeaders.CONTENT_LENGTH, Long.toString(body.length()))
                .body(BodyInserters.fromDataBuffers(body.content()));
    }

    private static long waitMs(ServerRequest request) {
        return QueryParams.nonNegativeLong(request, "timeout_ms", MediaService.DEFAULT_UPLOAD_WAIT_MS);
    }

    /** This server's media the path names; an ID the spec does not allow cannot exist (404, no lookup). */
    private MediaKey key(ServerRequest request) {
        String mediaId = request.pathVariable("mediaId");
        if (!MediaIds.isValid(mediaId)) {
            throw MatrixException.notFound("Media not found");
        }
        return new MediaKey(self, mediaId);
    }
}
