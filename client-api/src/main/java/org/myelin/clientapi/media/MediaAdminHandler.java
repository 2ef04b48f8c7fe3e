package org.myelin.clientapi.media;

import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.Responses;
import org.myelin.media.MediaService;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * Synapse's media admin API, in its shapes, for server admins only: delete everything a local user uploaded, and
 * quarantine the media a room's events point at (its downloads and thumbnails then answer 404).
 */
@Component
public class MediaAdminHandler {

    private final MediaService media;

    public MediaAdminHandler(MediaService media) {
        this.media = media;
    }

    /** DELETE /_synapse/admin/v1/users/{userId}/media */
    public Mono<ServerResponse> deleteUserMedia(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        String userId = request.pathVariable("userId");
        if (!UserId.parse(userId).server().value().equals(media.settings().serverName())) {
            throw MatrixException.invalidParam("Can only delete the media of local users");
        }
        return media.deleteUserMedia(userId)
                .flatMap(ids -> Responses.ok(Map.of("deleted_media", ids, "total", ids.size())));
    }

    /** POST /_synapse/admin/v1/room/{roomId}/media/quarantine */
    public Mono<ServerResponse> quarantineRoomMedia(ServerRequest request, Requester requester) {
        requireAdmin(requester);
        return media.quarantineRoomMedia(request.pathVariable("roomId"), requester.userId())
                .flatMap(count -> Responses.ok(Map.of("num_quarantined", count)));
    }

    private static void requireAdmin(Requester requester) {
        if (!requester.admin()) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }
}
