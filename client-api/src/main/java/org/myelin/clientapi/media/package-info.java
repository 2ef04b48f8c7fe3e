/**
 * The content repository's client endpoints: uploads ({@code /_matrix/media/v3/upload}, {@code /v1/create}), the
 * authenticated downloads and thumbnails ({@code /_matrix/client/v1/media/*}), the deprecated unauthenticated ones
 * (frozen for media uploaded while authenticated media is enforced), and Synapse's media admin API. Downloads are
 * served with headers that keep a browser from running what they contain ({@link org.myelin.clientapi.media.DownloadHeaders}).
 */
package org.myelin.clientapi.media;
