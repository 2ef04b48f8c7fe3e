package org.myelin.media;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.db.media.MediaRow;
import org.myelin.db.media.ThumbnailRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.media.thumbnail.ThumbnailBox;
import org.myelin.media.thumbnail.ThumbnailSizes;

import reactor.core.publisher.Mono;

/**
 * Media of other servers, fetched from their origin once and then served from the local store: a media row with
 * the remote server's name (its retention is {@link MediaSweeper}'s), and thumbnails the origin made, stored as
 * thumbnails of that row (a row without content stands for the remote media until its content is fetched). Both
 * are limited to the configured upload size. Concurrent requests on one node share one fetch.
 */
public final class RemoteMediaCache {

    private final MediaSettings settings;
    private final MediaRepository media;
    private final UploadStager stager;
    private final Blobs blobs;
    private final RemoteMediaSource source;
    private final Clock clock;
    private final Map<MediaKey, Mono<MediaRow>> downloading = new ConcurrentHashMap<>();
    private final Map<String, Mono<MediaContent>> thumbnailing = new ConcurrentHashMap<>();

    public RemoteMediaCache(MediaSettings settings, MediaRepository media, UploadStager stager, Blobs blobs,
            RemoteMediaSource source, Clock clock) {
        this.settings = settings;
        this.media = media;
        this.stager = stager;
        this.blobs = blobs;
        this.source = source;
        this.clock = clock;
    }

    /** The cached row of a remote media, fetched from its origin first if it is not cached yet. */
    public Mono<MediaRow> download(MediaKey key) {
        return known(key).filter(MediaRow::uploaded)
                .switchIfEmpty(Mono.defer(() -> downloading.computeIfAbsent(key, k -> fetch(k)
                        .doFinally(signal -> downloading.remove(k)).cache())))
                .flatMap(row -> media.touch(key, clock.millis()).thenReturn(row));
    }

    /** A still thumbnail of a remote media for {@code requested}, asked of its origin first if not cached yet. */
    public Mono<MediaContent> thumbnail(MediaKey key, ThumbnailBox requested) {
        ThumbnailBox box = ThumbnailSizes.choose(requested);
        String flight = key.serverName() + "/" + key.mediaId() + "/" + box;
        return known(key).then(media.thumbnails(key)).flatMap(stored -> stored.stream()
                .filter(t -> t.width() == box.width() && t.height() == box.height()
                        && t.method().equals(box.method().wire()))
                .findFirst().map(t -> Mono.just(content(t)))
                .orElseGet(() -> thumbnailing.computeIfAbsent(flight, f -> fetchThumbnail(key, box)
                        .doFinally(signal -> thumbnailing.remove(f)).cache())))
                .flatMap(content -> media.touch(key, clock.millis()).thenReturn(content));
    }

    /** The row of a remote media if there is one; 404 if an admin quarantined it. */
    private Mono<MediaRow> known(MediaKey key) {
        return media.find(key).flatMap(row -> row.quarantinedBy() != null
                ? Mono.error(MatrixException.notFound("Media not found")) : Mono.just(row));
    }

    private Mono<MediaRow> fetch(MediaKey key) {
        return source.download(key.serverName(), key.mediaId(), settings.maxUploadBytes())
                .flatMap(file -> stager.stage(file.bytes()).flatMap(staged -> {
                    long now = clock.millis();
                    MediaRow row = new MediaRow(key.serverName(), key.mediaId(), null, file.contentType(),
                            file.fileName(), staged.size(), staged.sha256(), now, now, null,
                            settings.freezeUnauthenticated(), null);
                    return blobs.storeWith(staged, media.cacheRemote(row).flatMap(stored -> stored
                                    ? Mono.just(true) : Mono.error(new AlreadyCached())))
                            .thenReturn(row)
                            .onErrorResume(AlreadyCached.class, e -> media.find(key));
                }));
    }

    private Mono<MediaContent> fetchThumbnail(MediaKey key, ThumbnailBox box) {
        return source.thumbnail(key.serverName(), key.mediaId(), box, settings.maxUploadBytes())
                .flatMap(file -> {
                    if (!ThumbnailService.baseType(file.contentType()).startsWith("image/")) {
                        return Mono.error(new MatrixException(ErrCode.M_UNKNOWN, 502,
                                key.serverName() + " answered a thumbnail that is not an image"));
                    }
                    return stager.stage(file.bytes()).flatMap(staged -> {
                        ThumbnailRow thumbnail = new ThumbnailRow(box.width(), box.height(), box.method().wire(),
                                file.contentType(), staged.size(), staged.sha256());
                        long now = clock.millis();
                        return blobs.storeWith(staged, media.rememberRemote(key, now)
                                        .then(media.insertThumbnail(key, thumbnail, now)).thenReturn(true))
                                .thenReturn(content(thumbnail));
                    });
                });
    }

    private static MediaContent content(ThumbnailRow t) {
        return new MediaContent(t.sha256(), t.sizeBytes(), t.contentType(), null);
    }

    /** Another request (perhaps on another node) cached the media first; its row wins. */
    private static final class AlreadyCached extends RuntimeException {
        AlreadyCached() {
            super(null, null, false, false);
        }
    }
}
