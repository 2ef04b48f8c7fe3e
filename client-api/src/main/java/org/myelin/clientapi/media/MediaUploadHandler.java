package org.myelin.clientapi.media;

import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.media.MediaService;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/** Uploads, direct or to an ID reserved first, and the content repository's configuration. */
@Component
public class MediaUploadHandler {

    private final MediaService media;

    public MediaUploadHandler(MediaService media) {
        this.media = media;
    }

    /** POST /_matrix/media/v3/upload?filename= */
    public Mono<ServerResponse> upload(ServerRequest request, Requester requester) {
        String contentType = MediaParams.contentType(request);
        String name = MediaParams.uploadName(request);
        return media.upload(requester.userId(), contentType, name, request.exchange().getRequest().getBody())
                .flatMap(uri -> Responses.ok(Map.of("content_uri", uri)));
    }

    /** POST /_matrix/media/v1/create */
    public Mono<ServerResponse> create(ServerRequest request, Requester requester) {
        return media.create(requester.userId()).flatMap(pending -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("content_uri", pending.contentUri());
            body.put("unused_expires_at", pending.unusedExpiresAt());
            return Responses.ok(body);
        });
    }

    /** PUT /_matrix/media/v3/upload/{serverName}/{mediaId}?filename= */
    public Mono<ServerResponse> uploadTo(ServerRequest request, Requester requester) {
        var key = MediaParams.key(request);
        String contentType = MediaParams.contentType(request);
        String name = MediaParams.uploadName(request);
        return media.uploadTo(requester.userId(), key, contentType, name, request.exchange().getRequest().getBody())
                .then(Responses.empty());
    }

    /** GET /_matrix/client/v1/media/config and /_matrix/media/v3/config */
    public Mono<ServerResponse> config(ServerRequest request, Requester requester) {
        return Responses.ok(Map.of("m.upload.size", media.settings().maxUploadBytes()));
    }
}
