package org.myelin.media;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.db.media.MediaRow;
import org.myelin.db.media.ThumbnailRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.media.store.MediaStore;
import org.myelin.media.thumbnail.ThumbnailBox;
import org.myelin.media.thumbnail.ThumbnailSizes;
import org.myelin.media.thumbnail.Thumbnailer;

import reactor.core.publisher.Mono;

/**
 * Thumbnails of uploaded images: the box that answers a request ({@link ThumbnailSizes}) is looked up among the
 * stored thumbnails and made (then stored) when missing. An image already fitting its box is its own thumbnail.
 * With {@code animated=true}, an animated GIF or WebP is served as it is (Myelin makes no animated thumbnails).
 */
public final class ThumbnailService {

    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");
    private static final Set<String> ANIMATABLE_TYPES = Set.of("image/gif", "image/webp");

    private final MediaRepository media;
    private final MediaStore store;
    private final UploadStager stager;
    private final Blobs blobs;
    private final Thumbnailer thumbnailer;
    private final ThumbnailScheduler scheduler;
    private final Clock clock;

    public ThumbnailService(MediaRepository media, MediaStore store, UploadStager stager, Blobs blobs,
            Thumbnailer thumbnailer, ThumbnailScheduler scheduler, Clock clock) {
        this.media = media;
        this.store = store;
        this.stager = stager;
        this.blobs = blobs;
        this.thumbnailer = thumbnailer;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The content answering a thumbnail request of an uploaded media. */
    public Mono<MediaContent> thumbnail(MediaRow row, ThumbnailBox requested, boolean animated) {
        String type = baseType(row.contentType());
        if (!IMAGE_TYPES.contains(type)) {
            return Mono.error(new MatrixException(ErrCode.M_UNKNOWN, 400,
                    "Cannot generate thumbnails for the requested content"));
        }
        MediaKey key = new MediaKey(row.serverName(), row.mediaId());
        Mono<MediaContent> still = stillThumbnail(row, key, ThumbnailSizes.choose(requested));
        if (!animated || !ANIMATABLE_TYPES.contains(type)) {
            return still;
        }
        return store.local(row.sha256()).flatMap(blob -> onScheduler(() -> {
            try (blob) {
                return thumbnailer.animated(blob.path());
            }
        })).flatMap(moving -> moving ? Mono.just(new MediaContent(row.sha256(), row.sizeBytes(), type, null)) : still);
    }

    private Mono<MediaContent> stillThumbnail(MediaRow row, MediaKey key, ThumbnailBox box) {
        return media.thumbnails(key).flatMap(stored -> stored.stream()
                .filter(t -> t.width() == box.width() && t.height() == box.height()
                        && t.method().equals(box.method().wire()))
                .findFirst().map(t -> Mono.just(content(t))).orElseGet(() -> make(row, key, box)));
    }

    private Mono<MediaContent> make(MediaRow row, MediaKey key, ThumbnailBox box) {
        return store.local(row.sha256()).flatMap(blob -> onScheduler(() -> {
            try (blob) {
                return thumbnailer.thumbnail(blob.path(), box);
            }
        })).flatMap(result -> {
            if (result instanceof Thumbnailer.Original) {
                ThumbnailRow original = new ThumbnailRow(box.width(), box.height(), box.method().wire(),
                        baseType(row.contentType()), row.sizeBytes(), row.sha256());
                return media.insertThumbnail(key, original, clock.millis()).thenReturn(content(original));
            }
            Thumbnailer.Made made = (Thumbnailer.Made) result;
            return stager.stage(made.bytes()).flatMap(staged -> {
                ThumbnailRow thumbnail = new ThumbnailRow(box.width(), box.height(), box.method().wire(),
                        made.contentType(), staged.size(), staged.sha256());
                return blobs.storeWith(staged, media.insertThumbnail(key, thumbnail, clock.millis()))
                        .thenReturn(content(thumbnail));
            });
        });
    }

    /** Runs decoder work on the thumbnail scheduler, its failures turned into the spec's errors. */
    private <T> Mono<T> onScheduler(DecoderWork<T> work) {
        return Mono.fromCallable(work::run).subscribeOn(scheduler.scheduler())
                .onErrorMap(ThumbnailService::asMatrixError);
    }

    private static Throwable asMatrixError(Throwable e) {
        if (e instanceof Thumbnailer.TooLargeException) {
            return new MatrixException(ErrCode.M_TOO_LARGE, "Image is too large to thumbnail");
        }
        if (e instanceof Thumbnailer.UnsupportedImageException) {
            return new MatrixException(ErrCode.M_UNKNOWN, 400, "Cannot generate thumbnails for the requested content");
        }
        if (e instanceof RejectedExecutionException) {
            return new MatrixException(ErrCode.M_LIMIT_EXCEEDED, 429,
                    "Too many thumbnails are being made; try again shortly");
        }
        return e;
    }

    @FunctionalInterface
    private interface DecoderWork<T> {
        T run() throws Exception;
    }

    private static MediaContent content(ThumbnailRow t) {
        return new MediaContent(t.sha256(), t.sizeBytes(), t.contentType(), null);
    }

    /** The type and subtype of a Content-Type, lowercased, without parameters; "" for none. */
    public static String baseType(String contentType) {
        return Optional.ofNullable(contentType).map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .orElse("");
    }
}
