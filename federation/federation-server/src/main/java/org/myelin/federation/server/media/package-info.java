/**
 * Media across servers: the federation media endpoints this server answers ({@code /_matrix/federation/v1/media/
 * download|thumbnail}, multipart/mixed), and the {@link org.myelin.media.RemoteMediaSource} that asks other
 * servers' for theirs, following a {@code Location} answer through the outbound guard.
 */
package org.myelin.federation.server.media;
