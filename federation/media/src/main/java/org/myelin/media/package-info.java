/**
 * The content repository, below both APIs and free of HTTP: uploads are staged to a temporary file while their
 * size is limited and their SHA-256 computed, then stored once per content in a {@link org.myelin.media.store.MediaStore}
 * (a local directory or S3) with their metadata in PostgreSQL; downloads wait for pending uploads; thumbnails are
 * made by {@link org.myelin.media.thumbnail.Thumbnailer} on a bounded scheduler and kept.
 */
package org.myelin.media;
