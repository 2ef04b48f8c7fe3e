package org.myelin.media;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.MediaRepository.MediaKey;
import org.myelin.db.media.MediaRow;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The content repository's operations, for both APIs: uploads (direct, or to an ID reserved earlier), finding
 * media to serve (waiting for a pending upload), and deleting or quarantining media. Callers have checked who may
 * call; this checks what the spec ties to the media itself (its creator, once, before expiry; quotas; limits).
 */
public final class MediaService {

    /** How often a download waiting for a pending upload looks again. */
    static final Duration PENDING_POLL = Duration.ofMillis(250);
    /** The longest a download waits for a pending upload, whatever timeout_ms says. */
    public static final long MAX_WAIT_MS = 60_000;

    private final MediaSettings settings;
    private final MediaRepository media;
    private final UploadStager stager;
    private final Blobs blobs;
    private final Clock clock;

    public MediaService(MediaSettings settings, MediaRepository media, UploadStager stager, Blobs blobs,
            Clock clock) {
        this.settings = settings;
        this.media = media;
        this.stager = stager;
        this.blobs = blobs;
        this.clock = clock;
    }

    public MediaSettings settings() {
        return settings;
    }

    /** POST /upload: stores the body and returns its new mxc:// URI. */
    public Mono<String> upload(String userId, String contentType, String fileName, Flux<DataBuffer> body) {
        MediaKey key = new MediaKey(settings.serverName(), MediaIds.generate());
        return stageWithinQuota(userId, body).flatMap(staged -> blobs.storeWith(staged, media.insertUploaded(
                new MediaRow(key.serverName(), key.mediaId(), userId, contentType, fileName, staged.size(),
                        staged.sha256(), clock.millis(), clock.millis(), null, settings.freezeUnauthenticated(),
                        null))).thenReturn(uri(key)));
    }

    /**
     * Stores bytes the server fetched for a user (a URL preview's image) as a new media of this server, within the
     * upload size limit; returns its mxc:// URI.
     */
    public Mono<String> storeFetched(String userId, String contentType, byte[] bytes) {
        if (bytes.length > settings.maxUploadBytes()) {
            return Mono.error(new MatrixException(ErrCode.M_TOO_LARGE, "Larger than " + settings.maxUploadBytes()
                    + " bytes"));
        }
        MediaKey key = new MediaKey(settings.serverName(), MediaIds.generate());
        return stager.stage(bytes).flatMap(staged -> blobs.storeWith(staged, media.insertUploaded(
                new MediaRow(key.serverName(), key.mediaId(), userId, contentType, null, staged.size(),
                        staged.sha256(), clock.millis(), clock.millis(), null, settings.freezeUnauthenticated(),
                        null))).thenReturn(uri(key)));
    }

    /** POST /create: reserves an ID for a later upload; 429 M_LIMIT_EXCEEDED when the user holds too many. */
    public Mono<PendingMedia> create(String userId) {
        MediaKey key = new MediaKey(settings.serverName(), MediaIds.generate());
        long now = clock.millis();
        long expires = now + settings.pendingExpiry().toMillis();
        return media.createPending(key, userId, now, expires, settings.maxPendingPerUser()).flatMap(created -> created
                ? Mono.just(new PendingMedia(uri(key), expires))
                : Mono.error(new MatrixException(ErrCode.M_LIMIT_EXCEEDED, 429, "Too many pending uploads: at most "
                        + settings.maxPendingPerUser() + " IDs may wait for their content")));
    }

    /** PUT /upload/{serverName}/{mediaId}: the upload of a reserved ID, by its creator, once, before it expires. */
    public Mono<Void> uploadTo(String userId, MediaKey key, String contentType, String fileName,
            Flux<DataBuffer> body) {
        return pendingOf(userId, key).then(stageWithinQuota(userId, body))
                .flatMap(staged -> blobs.storeWith(staged, media.completePending(key, userId, contentType, fileName,
                        staged.size(), staged.sha256(), clock.millis(), settings.freezeUnauthenticated())
                        .flatMap(done -> done ? Mono.just(true) : pendingOf(userId, key).then(Mono.error(
                                new MatrixException(ErrCode.M_CANNOT_OVERWRITE_MEDIA, "Media already uploaded"))))));
    }

    /** The reserved, unexpired, still empty ID of this user; the spec's error otherwise. */
    private Mono<MediaRow> pendingOf(String userId, MediaKey key) {
        if (!isLocal(key)) {
            return Mono.error(MatrixException.notFound("Unknown media ID"));
        }
        return media.find(key).switchIfEmpty(Mono.error(() -> MatrixException.notFound("Unknown media ID")))
                .flatMap(row -> {
                    if (!userId.equals(row.userId())) {
                        return Mono.error(MatrixException.forbidden("This media ID was created by another user"));
                    }
                    if (row.uploaded()) {
                        return Mono.error(new MatrixException(ErrCode.M_CANNOT_OVERWRITE_MEDIA,
                                "Media already uploaded"));
                    }
                    if (row.unusedExpiresTs() != null && row.unusedExpiresTs() <= clock.millis()) {
                        return Mono.error(MatrixException.notFound("This media ID has expired"));
                    }
                    return Mono.just(row);
                });
    }

    private Mono<StagedUpload> stageWithinQuota(String userId, Flux<DataBuffer> body) {
        Mono<StagedUpload> staged = stager.stage(body, settings.maxUploadBytes());
        if (settings.userQuotaBytes() <= 0) {
            return staged;
        }
        return media.usedBytes(userId).flatMap(used -> used >= settings.userQuotaBytes()
                ? Mono.error(quotaExceeded())
                : staged.flatMap(s -> used + s.size() > settings.userQuotaBytes()
                        ? Mono.<StagedUpload>fromRunnable(s::discard).then(Mono.error(quotaExceeded()))
                        : Mono.just(s)));
    }

    private MatrixException quotaExceeded() {
        return MatrixException.forbidden("Upload quota of " + settings.userQuotaBytes() + " bytes exceeded");
    }

    /** How long a download waits for a pending upload when the request names no {@code timeout_ms} (the spec's 20 s). */
    public static final long DEFAULT_UPLOAD_WAIT_MS = 20_000;

    /**
     * The content of a media to serve, waiting up to {@code timeoutMs} (at most {@link #MAX_WAIT_MS}) for a
     * pending upload: 404 M_NOT_FOUND if it does not exist (or is quarantined, or of another server: those are
     * {@link RemoteMediaCache}'s), 504 M_NOT_YET_UPLOADED if its upload has not come in time.
     */
    public Mono<MediaRow> awaitUploaded(MediaKey key, long timeoutMs) {
        if (!isLocal(key)) {
            return Mono.error(MatrixException.notFound("Not a media of this server"));
        }
        long deadline = clock.millis() + Math.min(Math.max(0, timeoutMs), MAX_WAIT_MS);
        return findServable(key).flatMap(row -> row.uploaded() ? Mono.just(row) : waitForUpload(key, deadline))
                .flatMap(row -> media.touch(key, clock.millis()).thenReturn(row));
    }

    private Mono<MediaRow> findServable(MediaKey key) {
        return media.find(key).filter(row -> row.quarantinedBy() == null)
                .filter(row -> row.uploaded() || row.unusedExpiresTs() > clock.millis())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Media not found")));
    }

    private Mono<MediaRow> waitForUpload(MediaKey key, long deadline) {
        return Mono.defer(() -> findServable(key)).flatMap(row -> {
            if (row.uploaded()) {
                return Mono.just(row);
            }
            long left = deadline - clock.millis();
            if (left <= 0) {
                return Mono.error(new MatrixException(ErrCode.M_NOT_YET_UPLOADED,
                        "Content has not yet been uploaded"));
            }
            return Mono.delay(Duration.ofMillis(Math.min(left, PENDING_POLL.toMillis())))
                    .then(waitForUpload(key, deadline));
        });
    }

    /** The servable content of an uploaded media row. */
    public static MediaContent contentOf(MediaRow row) {
        return MediaContent.of(row);
    }

    /** Deletes a media, its thumbnails and every blob no other row uses; false when it did not exist. */
    public Mono<Boolean> delete(MediaKey key) {
        return media.find(key).flatMap(row -> media.thumbnailBlobs(key).flatMap(thumbs -> {
            List<String> shas = new ArrayList<>(thumbs);
            if (row.sha256() != null) {
                shas.add(row.sha256());
            }
            return blobs.deleteWith(shas, media.delete(key));
        })).defaultIfEmpty(false);
    }

    /** Deletes every media a local user uploaded; returns their IDs. */
    public Mono<List<String>> deleteUserMedia(String userId) {
        return media.byUser(userId).flatMapMany(Flux::fromIterable)
                .filter(row -> row.serverName().equals(settings.serverName()))
                .concatMap(row -> delete(new MediaKey(row.serverName(), row.mediaId()))
                        .filter(Boolean::booleanValue).map(deleted -> row.mediaId()))
                .collectList();
    }

    /** Quarantines every media a room's events point at; returns how many were newly quarantined. */
    public Mono<Long> quarantineRoomMedia(String roomId, String by) {
        return media.referencedInRoom(roomId).flatMap(keys -> {
            Map<String, List<String>> byServer = keys.stream().collect(Collectors.groupingBy(MediaKey::serverName,
                    Collectors.mapping(MediaKey::mediaId, Collectors.toList())));
            return Flux.fromIterable(byServer.entrySet())
                    .concatMap(e -> media.quarantine(e.getKey(), e.getValue(), by))
                    .reduce(0L, Long::sum);
        });
    }

    public boolean isLocal(MediaKey key) {
        return settings.serverName().equals(key.serverName());
    }

    private static String uri(MediaKey key) {
        return "mxc://" + key.serverName() + "/" + key.mediaId();
    }
}
