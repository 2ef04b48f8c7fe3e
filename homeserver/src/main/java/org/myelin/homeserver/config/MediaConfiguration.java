package org.myelin.homeserver.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.clientapi.media.preview.UrlPreviewService;
import org.myelin.db.media.MediaRepository;
import org.myelin.db.media.UrlPreviewRepository;
import org.myelin.db.support.Database;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.outbound.GuardedHttpClient;
import org.myelin.http.outbound.OutboundAddressGuard;
import org.myelin.media.Blobs;
import org.myelin.media.MediaService;
import org.myelin.media.MediaSettings;
import org.myelin.media.MediaSweeper;
import org.myelin.media.RemoteMediaCache;
import org.myelin.media.RemoteMediaSource;
import org.myelin.media.ThumbnailScheduler;
import org.myelin.media.ThumbnailService;
import org.myelin.media.UploadStager;
import org.myelin.media.store.FileMediaStore;
import org.myelin.media.store.MediaStore;
import org.myelin.media.store.S3MediaStore;
import org.myelin.media.thumbnail.Thumbnailer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The content repository ({@code myelin.media.*}): its settings, store, services and sweeper. */
@Configuration(proxyBeanMethods = false)
public class MediaConfiguration {

    /** Uploads queued for thumbnailing beyond the running ones; more are refused (429). */
    private static final int THUMBNAIL_QUEUE = 64;
    private static final int MAX_PREVIEW_REDIRECTS = 5;

    @Bean
    MediaSettings mediaSettings(MyelinProperties p, ClientApiSettings client) {
        MyelinProperties.Media m = p.media();
        if (m.maxUploadBytes() < 1) {
            throw new StartupException("MYELIN_MEDIA_MAX_UPLOAD_BYTES must be at least 1");
        }
        if (m.maxPendingPerUser() < 1) {
            throw new StartupException("MYELIN_MEDIA_MAX_PENDING_PER_USER must be at least 1");
        }
        if (m.pendingExpiry().isNegative() || m.pendingExpiry().isZero()) {
            throw new StartupException("MYELIN_MEDIA_PENDING_EXPIRY must be a positive duration");
        }
        if (m.maxImagePixels() < 1 || m.userQuotaBytes() < 0 || m.remoteRetention().isNegative()) {
            throw new StartupException("MYELIN_MEDIA_MAX_IMAGE_PIXELS must be positive, MYELIN_MEDIA_USER_QUOTA_BYTES"
                    + " and MYELIN_MEDIA_REMOTE_RETENTION not negative");
        }
        return new MediaSettings(client.serverName(), mediaDirectory(p).resolve("staging"), m.maxUploadBytes(),
                m.freezeUnauthenticated(), m.pendingExpiry(), m.maxPendingPerUser(), m.userQuotaBytes(),
                m.maxImagePixels(), m.remoteRetention());
    }

    static Path mediaDirectory(MyelinProperties p) {
        String dir = p.media().directory();
        return dir.isBlank() ? p.dataDir().resolve("media") : Path.of(dir);
    }

    /** S3 when a bucket is configured, else files under the media directory. */
    @Bean
    MediaStore mediaStore(MyelinProperties p) {
        MyelinProperties.S3 s3 = p.media().s3();
        if (s3.bucket().isBlank()) {
            return new FileMediaStore(mediaDirectory(p).resolve("content"));
        }
        return new S3MediaStore(s3Client(s3), s3.bucket(), mediaDirectory(p).resolve("staging"));
    }

    /**
     * A custom endpoint (MinIO, s3proxy, …) is addressed path-style; checksums are sent only where S3 requires
     * them, as S3-compatible servers do not all know the newer checksum headers.
     */
    private static S3Client s3Client(MyelinProperties.S3 s3) {
        var builder = S3Client.builder().region(Region.of(s3.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!s3.accessKey().isBlank()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())));
        }
        if (!s3.endpoint().isBlank()) {
            try {
                builder.endpointOverride(URI.create(s3.endpoint())).forcePathStyle(true);
            } catch (IllegalArgumentException e) {
                throw new StartupException("MYELIN_MEDIA_S3_ENDPOINT is not a URL: " + s3.endpoint());
            }
        }
        return builder.build();
    }

    @Bean
    MediaRepository mediaRepository(Database db) {
        return new MediaRepository(db);
    }

    @Bean
    UploadStager uploadStager(MediaSettings settings) {
        return new UploadStager(settings.stagingDirectory());
    }

    @Bean
    Blobs mediaBlobs(Database db, MediaRepository media, MediaStore store) {
        return new Blobs(db, media, store);
    }

    @Bean
    MediaService mediaService(MediaSettings settings, MediaRepository media, UploadStager stager, Blobs blobs,
            Clock clock) {
        return new MediaService(settings, media, stager, blobs, clock);
    }

    @Bean
    RemoteMediaCache remoteMediaCache(MediaSettings settings, MediaRepository media, UploadStager stager, Blobs blobs,
            RemoteMediaSource source, Clock clock) {
        return new RemoteMediaCache(settings, media, stager, blobs, source, clock);
    }

    @Bean(destroyMethod = "dispose")
    ThumbnailScheduler thumbnailScheduler() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new ThumbnailScheduler(Schedulers.newBoundedElastic(threads, THUMBNAIL_QUEUE, "myelin-thumbnail"));
    }

    @Bean
    ThumbnailService thumbnailService(MediaSettings settings, MediaRepository media, MediaStore store,
            UploadStager stager, Blobs blobs, ThumbnailScheduler scheduler, Clock clock) {
        return new ThumbnailService(media, store, stager, blobs, new Thumbnailer(settings.maxImagePixels()),
                scheduler, clock);
    }

    @Bean
    MediaSweeper mediaSweeper(MediaSettings settings, MediaRepository media, UrlPreviewRepository previews,
            MediaService service, Clock clock) {
        return new MediaSweeper(settings, media, previews, service, clock);
    }

    @Bean
    UrlPreviewRepository urlPreviewRepository(Database db) {
        return new UrlPreviewRepository(db);
    }

    /** Fetches pages and images for previews, within the preview time limit and at most 5 redirects. */
    @Bean(destroyMethod = "close")
    GuardedHttpClient urlPreviewHttpClient(MyelinProperties p, OutboundAddressGuard guard) {
        return new GuardedHttpClient(new GuardedHttpClient.Settings(p.urlPreviews().timeout(), MAX_PREVIEW_REDIRECTS,
                "Myelin (URL preview)"), guard);
    }

    @Bean
    UrlPreviewService urlPreviewService(MyelinProperties p,
            @Qualifier("urlPreviewHttpClient") GuardedHttpClient http, MediaService media,
            UrlPreviewRepository cache, Scheduler cpuScheduler, Clock clock) {
        MyelinProperties.UrlPreviews u = p.urlPreviews();
        if (u.maxBytes() < 1 || u.timeout().isNegative() || u.timeout().isZero() || u.cacheTtl().isNegative()) {
            throw new StartupException("MYELIN_URL_PREVIEWS_MAX_BYTES and MYELIN_URL_PREVIEWS_TIMEOUT must be"
                    + " positive, MYELIN_URL_PREVIEWS_CACHE_TTL not negative");
        }
        return new UrlPreviewService(new UrlPreviewService.Settings(u.enabled(), u.maxBytes(), u.cacheTtl()), http,
                media, cache, cpuScheduler, clock);
    }
}
