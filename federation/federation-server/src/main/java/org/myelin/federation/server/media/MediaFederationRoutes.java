package org.myelin.federation.server.media;

import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.media.MediaService;
import org.myelin.media.ThumbnailService;
import org.myelin.media.store.MediaStore;
import org.springframework.http.HttpMethod;

/** Adds the media routes, behind X-Matrix, to the server-server API's table. */
public final class MediaFederationRoutes {

    private MediaFederationRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, ServerName self, MediaService media,
                                             ThumbnailService thumbnails, MediaStore store) {
        FederationMediaHandler handler = new FederationMediaHandler(self.value(), media, thumbnails, store);
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/media/download/{mediaId}", handler::download)
                .signed(HttpMethod.GET, "/_matrix/federation/v1/media/thumbnail/{mediaId}", handler::thumbnail);
    }
}
