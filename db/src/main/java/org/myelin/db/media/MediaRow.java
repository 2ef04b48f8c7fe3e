package org.myelin.db.media;

/**
 * One {@code mxc://serverName/mediaId}. {@code sha256} (hex) names the stored bytes; it is null while an ID made by
 * {@code POST /media/v1/create} waits for its upload (until {@code unusedExpiresTs}), and in a row of another
 * server's media that so far only holds thumbnails fetched from it (no {@code unusedExpiresTs} then).
 * {@code restricted}: uploaded (or fetched) while unauthenticated downloads were frozen. {@code quarantinedBy}: the
 * admin who quarantined it, or null.
 */
public record MediaRow(String serverName, String mediaId, String userId, String contentType, String uploadName,
        Long sizeBytes, String sha256, long createdTs, long lastAccessTs, Long unusedExpiresTs, boolean restricted,
        String quarantinedBy) {

    /** Its bytes are stored (not a pending ID). */
    public boolean uploaded() {
        return sha256 != null;
    }
}
