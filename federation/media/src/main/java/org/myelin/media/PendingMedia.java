package org.myelin.media;

/** An ID reserved by {@code POST /media/v1/create}: its mxc:// URI and when it expires unused. */
public record PendingMedia(String contentUri, long unusedExpiresAt) {
}
