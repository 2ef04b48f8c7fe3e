/**
 * Thumbnails: which box answers a request ({@link org.myelin.media.thumbnail.ThumbnailSizes}) and making one from
 * PNG, JPEG, GIF or WebP with ImageIO ({@link org.myelin.media.thumbnail.Thumbnailer}), refusing images whose
 * declared size is over the pixel limit before any pixel is decoded.
 */
package org.myelin.media.thumbnail;
