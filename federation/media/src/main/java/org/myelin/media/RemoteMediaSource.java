package org.myelin.media;

import org.myelin.media.thumbnail.ThumbnailBox;

import reactor.core.publisher.Mono;

/**
 * Where media of other servers comes from (the federation media endpoints). Failures are Matrix errors for the
 * client: 404 M_NOT_FOUND when the origin has no such media, 502 M_TOO_LARGE beyond {@code maxBytes}, 502 when
 * the origin cannot be reached or answers nonsense.
 */
public interface RemoteMediaSource {

    /** The content of {@code mxc://serverName/mediaId}. */
    Mono<RemoteFile> download(String serverName, String mediaId, long maxBytes);

    /** A still thumbnail of it that the origin made for {@code box}. */
    Mono<RemoteFile> thumbnail(String serverName, String mediaId, ThumbnailBox box, long maxBytes);

    /** Bytes from another server: their type ({@code application/octet-stream} if unsaid) and file name (or null). */
    record RemoteFile(String contentType, String fileName, byte[] bytes) {
    }
}
