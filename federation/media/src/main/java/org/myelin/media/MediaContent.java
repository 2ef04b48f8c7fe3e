package org.myelin.media;

import org.myelin.db.media.MediaRow;

/** Servable bytes: a blob, its size and type, and the file name to offer (null for none). */
public record MediaContent(String sha256, long size, String contentType, String fileName) {

    static MediaContent of(MediaRow row) {
        return new MediaContent(row.sha256(), row.sizeBytes(),
                row.contentType() == null ? "application/octet-stream" : row.contentType(), row.uploadName());
    }
}
