package org.myelin.clientapi.media;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.db.media.MediaRow;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.QueryParams;
import org.myelin.media.MediaContent;
import org.myelin.media.MediaService;
import org.myelin.media.RemoteMediaCache;
import org.myelin.media.ThumbnailService;
import org.myelin.media.store.MediaStore;
import org.myelin.media.thumbnail.ThumbnailBox;
import org.myelin.media.thumbnail.ThumbnailMethod;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Downloads and thumbnails: the authenticated {@code /_matrix/client/v1/media/*} and the deprecated
 * {@code /_matrix/media/v3/*}, which answer 404 for media uploaded while unauthenticated media was frozen. Media of
 * other servers comes through the {@link RemoteMediaCache} (fetched over federation once, then served from the
 * store). Bodies stream from the store; a single byte range is answered 206 (416 past the end).
 */
@Component
public class MediaDownloadHandler {

    private final MediaService media;
    private final ThumbnailService thumbnails;
    private final MediaStore store;
    private final RemoteMediaCache remote;

    public MediaDownloadHandler(MediaService media, ThumbnailService thumbnails, MediaStore store,
            RemoteMediaCache remote) {
        this.media = media;
        this.thumbnails = thumbnails;
        this.store = store;
        this.remote = remote;
    }

    /** GET /_matrix/client/v1/media/download/{serverName}/{mediaId}[/{fileName}] */
    public Mono<ServerResponse> download(ServerRequest request, Requester requester) {
        return download(request, false);
    }

    /** GET /_matrix/media/v3/download/{serverName}/{mediaId}[/{fileName}] (deprecated, unauthenticated) */
    public Mono<ServerResponse> legacyDownload(ServerRequest request) {
        return download(request, true);
    }

    /** GET /_matrix/client/v1/media/thumbnail/{serverName}/{mediaId} */
    public Mono<ServerResponse> thumbnail(ServerRequest request, Requester requester) {
        return thumbnail(request, false);
    }

    /** GET /_matrix/media/v3/thumbnail/{serverName}/{mediaId} (deprecated, unauthenticated) */
    public Mono<ServerResponse> legacyThumbnail(ServerRequest request) {
        return thumbnail(request, true);
    }

    private Mono<ServerResponse> download(ServerRequest request, boolean unauthenticated) {
        MediaKey key = MediaParams.key(request);
        String override = request.pathVariables().containsKey("fileName")
                ? MediaParams.checkedName(request.pathVariable("fileName")) : null;
        long timeoutMs = waitMs(request);
        return uploaded(key, timeoutMs, unauthenticated).flatMap(row -> {
            MediaContent content = MediaService.contentOf(row);
            return serve(request, content, override != null ? override : content.fileName());
        });
    }

    private Mono<ServerResponse> thumbnail(ServerRequest request, boolean unauthenticated) {
        MediaKey key = MediaParams.key(request);
        int width = QueryParams.positiveInt(request, "width");
        int height = QueryParams.positiveInt(request, "height");
        String methodName = request.queryParam("method").orElse("scale");
        ThumbnailMethod method = ThumbnailMethod.ofWire(methodName);
        if (method == null) {
            throw MatrixException.invalidParam("method must be crop or scale");
        }
        boolean animated = QueryParams.bool(request, "animated");
        long timeoutMs = waitMs(request);
        ThumbnailBox box = new ThumbnailBox(width, height, method);
        // Remote thumbnails are the origin's still ones (animated is not asked for).
        Mono<MediaContent> content = media.isLocal(key)
                ? uploaded(key, timeoutMs, unauthenticated).flatMap(row -> thumbnails.thumbnail(row, box, animated))
                : remoteAllowed(unauthenticated).then(remote.thumbnail(key, box));
        return content.flatMap(c -> serve(request, c, "thumbnail." + extension(c.contentType())));
    }

    private static long waitMs(ServerRequest request) {
        return QueryParams.nonNegativeLong(request, "timeout_ms", MediaService.DEFAULT_UPLOAD_WAIT_MS);
    }

    private Mono<MediaRow> uploaded(MediaKey key, long timeoutMs, boolean unauthenticated) {
        if (!media.isLocal(key)) {
            return remoteAllowed(unauthenticated).then(remote.download(key));
        }
        return media.awaitUploaded(key, timeoutMs).flatMap(row -> unauthenticated && row.restricted()
                ? Mono.error(MatrixException.notFound(
                        "Media is only available through the authenticated /_matrix/client/v1/media endpoints"))
                : Mono.just(row));
    }

    /**
     * NOTSPEC: the deprecated unauthenticated endpoints never serve other servers' media (allow_remote is moot).
     * Myelin fetches it only over the authenticated federation endpoints, and Synapse too serves media fetched that
     * way only to authenticated requests.
     */
    private static Mono<Void> remoteAllowed(boolean unauthenticated) {
        return unauthenticated ? Mono.error(MatrixException.notFound(
                "Media of other servers is only available through the authenticated /_matrix/client/v1/media endpoints"))
                : Mono.empty();
    }

    private Mono<ServerResponse> serve(ServerRequest request, MediaContent content, String fileName) {
        long size = content.size();
        ByteRange.Outcome range = ByteRange.of(request.headers().header(HttpHeaders.RANGE).stream().findFirst(),
                size);
        if (range instanceof ByteRange.Unsatisfiable) {
            return ServerResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(java.util.Map.of("errcode", "M_INVALID_PARAM",
                            "error", "Range starts past the end of the content"));
        }
        ByteRange part = range instanceof ByteRange.Part p ? p.range() : new ByteRange(0, size);
        ServerResponse.BodyBuilder response = range instanceof ByteRange.Part
                ? ServerResponse.status(HttpStatus.PARTIAL_CONTENT).header(HttpHeaders.CONTENT_RANGE,
                        part.contentRange(size))
                : ServerResponse.ok();
        return response.headers(h -> {
            DownloadHeaders.apply(h, content.contentType(), fileName);
            h.setContentLength(part.length());
        }).body(BodyInserters.fromDataBuffers(store.read(content.sha256(), part.start(), part.length())));
    }

    private static String extension(String contentType) {
        return switch (ThumbnailService.baseType(contentType)) {
            case "image/jpeg" -> "jpg";
            case "image/gif" -> "gif";
            case "image/webp" -> "webp";
            default -> "png";
        };
    }
}
