package org.myelin.db.media;

/** A stored thumbnail of one media: its size, method ({@code crop} or {@code scale}), type and blob. */
public record ThumbnailRow(int width, int height, String method, String contentType, long sizeBytes, String sha256) {
}
