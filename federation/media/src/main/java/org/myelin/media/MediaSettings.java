package org.myelin.media;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the content repository needs of the configuration; the homeserver module builds it from {@code myelin.media.*}.
 *
 * @param serverName            this homeserver's name, the authority of the mxc:// URIs it issues
 * @param stagingDirectory      where uploads are written while they arrive (on the media directory's file system,
 *                              so a local store moves them into place atomically)
 * @param maxUploadBytes        the largest upload accepted ({@code m.upload.size})
 * @param freezeUnauthenticated media uploaded while this holds is not served by the deprecated unauthenticated
 *                              {@code /_matrix/media/v3/download|thumbnail}
 * @param pendingExpiry         how long an ID from {@code POST /media/v1/create} waits for its upload
 * @param maxPendingPerUser     how many such IDs one user may hold at once
 * @param userQuotaBytes        the bytes one user may have uploaded in all; 0 means unlimited
 * @param maxImagePixels        images declaring more pixels than this are not decoded for thumbnails
 * @param remoteRetention       media of other servers not downloaded for this long is deleted; zero keeps it
 */
public record MediaSettings(String serverName, Path stagingDirectory, long maxUploadBytes,
        boolean freezeUnauthenticated, Duration pendingExpiry, int maxPendingPerUser, long userQuotaBytes,
        long maxImagePixels, Duration remoteRetention) {
}
