package org.myelin.clientapi.media;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.media.preview.UrlPreviewService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;

/**
 * {@code GET /_matrix/client/v1/media/preview_url} and the deprecated {@code /_matrix/media/v3/preview_url}. The
 * {@code ts} parameter is checked but otherwise unused: the spec lets the server answer its newest preview.
 */
@Component
public class UrlPreviewHandler {

    private final UrlPreviewService previews;

    public UrlPreviewHandler(UrlPreviewService previews) {
        this.previews = previews;
    }

    /** Whether previews are on ({@code MYELIN_URL_PREVIEWS}); when off their paths are not routed at all. */
    boolean enabled() {
        return previews.enabled();
    }

    public Mono<ServerResponse> preview(ServerRequest request, Requester requester) {
        String url = request.queryParam("url").filter(u -> !u.isEmpty())
                .orElseThrow(() -> MatrixException.missingParam("Missing query parameter url"));
        request.queryParam("ts").ifPresent(ts -> QueryParams.longInteger(ts, "ts"));
        return previews.preview(requester.userId(), url).flatMap(Responses::ok);
    }
}
