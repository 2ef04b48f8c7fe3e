package org.myelin.clientapi.media;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/**
 * Routes of the content repository. URL previews ({@code preview_url}) are routed only when they are on
 * ({@code MYELIN_URL_PREVIEWS}); otherwise their paths answer the router's 404 M_UNRECOGNIZED, as Synapse's do
 * when it does not register them.
 */
@Component
public class MediaRoutes implements RouteContributor {

    /** The upload paths (POST and PUT), whose bodies have the media size limit instead of the JSON one. */
    public static final String UPLOAD_PATH_PREFIX = "/_matrix/media/v3/upload";
    /** The same upload under r0 ({@code ClientRouteTable} adds it), which has the upload size limit as well. */
    public static final String R0_UPLOAD_PATH_PREFIX = "/_matrix/media/r0/upload";

    private static final String CLIENT_V1 = "/_matrix/client/v1/media";
    private static final String MEDIA_V3 = "/_matrix/media/v3";
    private static final String ADMIN = "/_synapse/admin/v1";

    private final MediaUploadHandler upload;
    private final MediaDownloadHandler download;
    private final MediaAdminHandler admin;
    private final UrlPreviewHandler previews;

    public MediaRoutes(MediaUploadHandler upload, MediaDownloadHandler download, MediaAdminHandler admin,
            UrlPreviewHandler previews) {
        this.upload = upload;
        this.download = download;
        this.admin = admin;
        this.previews = previews;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(POST, UPLOAD_PATH_PREFIX, upload::upload)
                .authed(PUT, UPLOAD_PATH_PREFIX + "/{serverName}/{mediaId}", upload::uploadTo)
                .authed(POST, "/_matrix/media/v1/create", upload::create)
                .authed(GET, CLIENT_V1 + "/config", upload::config)
                .authed(GET, MEDIA_V3 + "/config", upload::config)
                .authed(GET, CLIENT_V1 + "/download/{serverName}/{mediaId}", download::download)
                .authed(GET, CLIENT_V1 + "/download/{serverName}/{mediaId}/{fileName}", download::download)
                .authed(GET, CLIENT_V1 + "/thumbnail/{serverName}/{mediaId}", download::thumbnail)
                .route(GET, MEDIA_V3 + "/download/{serverName}/{mediaId}", download::legacyDownload)
                .route(GET, MEDIA_V3 + "/download/{serverName}/{mediaId}/{fileName}", download::legacyDownload)
                .route(GET, MEDIA_V3 + "/thumbnail/{serverName}/{mediaId}", download::legacyThumbnail)
                .authed(DELETE, ADMIN + "/users/{userId}/media", admin::deleteUserMedia)
                .authed(POST, ADMIN + "/room/{roomId}/media/quarantine", admin::quarantineRoomMedia);
        if (previews.enabled()) {
            routes.authed(GET, CLIENT_V1 + "/preview_url", previews::preview)
                    .authed(GET, MEDIA_V3 + "/preview_url", previews::preview);
        }
    }
}
