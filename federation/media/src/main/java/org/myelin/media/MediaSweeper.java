package org.myelin.media;

import java.time.Clock;
import java.time.Duration;

import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.UrlPreviewRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Once a minute on every node: forgets pending IDs whose upload did not come in time and expired URL previews, and,
 * when a remote media retention is set, deletes up to 100 media of other servers not downloaded for that long (with
 * their blobs). All are safe to run on several nodes at once: the deletes are idempotent.
 */
public final class MediaSweeper implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MediaSweeper.class);
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final int REMOTE_BATCH = 100;

    private final MediaSettings settings;
    private final MediaRepository media;
    private final UrlPreviewRepository previews;
    private final MediaService service;
    private final Clock clock;
    private volatile Disposable running;

    public MediaSweeper(MediaSettings settings, MediaRepository media, UrlPreviewRepository previews,
            MediaService service, Clock clock) {
        this.settings = settings;
        this.media = media;
        this.previews = previews;
        this.service = service;
        this.clock = clock;
    }

    /** One sweep; emits how many rows it deleted. */
    public Mono<Long> sweep() {
        long now = clock.millis();
        Mono<Long> pending = media.deleteExpiredPending(now).zipWith(previews.deleteExpired(now), Long::sum);
        if (settings.remoteRetention().isZero()) {
            return pending;
        }
        Mono<Long> remote = media.staleRemote(settings.serverName(), now - settings.remoteRetention().toMillis(),
                REMOTE_BATCH).flatMapMany(Flux::fromIterable).concatMap(service::delete)
                .filter(Boolean::booleanValue).count();
        return pending.zipWith(remote, Long::sum);
    }

    @Override
    public void start() {
        running = Flux.interval(PERIOD, PERIOD)
                .concatMap(tick -> sweep().onErrorResume(e -> {
                    LOG.warn("Media sweep failed: {}", e.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
