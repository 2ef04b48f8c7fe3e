package org.myelin.federation.server.media;

import java.net.URI;
import java.util.Map;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.http.outbound.GuardedHttpClient;
import org.myelin.http.outbound.OutboundException;
import org.myelin.media.RemoteMediaSource;
import org.myelin.media.thumbnail.ThumbnailBox;
import org.springframework.http.HttpHeaders;

import reactor.core.publisher.Mono;

/**
 * Other servers' media over federation: a signed GET of their {@code /_matrix/federation/v1/media/download} or
 * {@code /thumbnail}, its multipart answer read, and a {@code Location} answer fetched (not cached as a URL, as the
 * spec says) through the outbound guard with the same size limit, redirects of it followed within the client's
 * limit. Errors become what the client is told: 404 M_NOT_FOUND, 504 M_NOT_YET_UPLOADED and 400 (no thumbnail
 * possible) as the origin said them, 502 M_TOO_LARGE beyond the limit, 502 M_UNKNOWN for anything else.
 */
public final class FederationMediaSource implements RemoteMediaSource {

    private static final String PREFIX = "/_matrix/federation/v1/media/";

    private final FederationClient client;
    private final GuardedHttpClient http;

    /** @param http fetches {@code Location} answers */
    public FederationMediaSource(FederationClient client, GuardedHttpClient http) {
        this.client = client;
        this.http = http;
    }

    @Override
    public Mono<RemoteFile> download(String serverName, String mediaId, long maxBytes) {
        return fetch(serverName, PREFIX + "download/" + FederationClient.segment(mediaId), maxBytes);
    }

    @Override
    public Mono<RemoteFile> thumbnail(String serverName, String mediaId, ThumbnailBox box, long maxBytes) {
        return fetch(serverName, PREFIX + "thumbnail/" + FederationClient.segment(mediaId) + "?width=" + box.width()
                + "&height=" + box.height() + "&method=" + box.method().wire() + "&animated=false", maxBytes);
    }

    private Mono<RemoteFile> fetch(String serverName, String pathAndQuery, long maxBytes) {
        ServerName origin;
        try {
            origin = ServerName.parse(serverName);
        } catch (MatrixException e) {
            return Mono.error(MatrixException.notFound("Media not found"));
        }
        return client.getBinary(origin, pathAndQuery, maxBytes)
                .onErrorMap(RemoteServerException.class, e -> fromOrigin(origin, e, maxBytes))
                .flatMap(answer -> MultipartMedia.parse(answer.headers().get(HttpHeaders.CONTENT_TYPE),
                        answer.body(), maxBytes))
                .flatMap(answer -> answer instanceof MultipartMedia.Redirect redirect
                        ? follow(origin, redirect.location(), maxBytes)
                        : Mono.just(((MultipartMedia.Content) answer).file()));
    }

    private Mono<RemoteFile> follow(ServerName origin, URI location, long maxBytes) {
        return http.get(location, maxBytes, Map.of())
                .onErrorMap(OutboundException.class, e -> e.reason() == OutboundException.Reason.TOO_LARGE
                        ? tooLarge(maxBytes)
                        : new MatrixException(ErrCode.M_UNKNOWN, 502, "The media " + origin
                                + " redirected to could not be fetched: " + e.getMessage()))
                .flatMap(response -> {
                    if (response.status() != 200) {
                        return Mono.error(new MatrixException(ErrCode.M_UNKNOWN, 502, "The media " + origin
                                + " redirected to answered " + response.status()));
                    }
                    HttpHeaders headers = new HttpHeaders();
                    response.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
                    return Mono.just(new RemoteFile(MultipartMedia.contentTypeOf(headers),
                            MultipartMedia.fileNameOf(headers), response.body()));
                });
    }

    private static MatrixException fromOrigin(ServerName origin, RemoteServerException e, long maxBytes) {
        if (e.tooLarge()) {
            return tooLarge(maxBytes);
        }
        return switch (e.status()) {
            case 404 -> MatrixException.notFound("Media not found on " + origin);
            case 504 -> new MatrixException(ErrCode.M_NOT_YET_UPLOADED, 504, "Content has not yet been uploaded");
            case 400 -> new MatrixException(ErrCode.M_UNKNOWN, 400, "Cannot generate thumbnails for the requested"
                    + " content");
            default -> new MatrixException(ErrCode.M_UNKNOWN, 502, "Failed to fetch remote media: "
                    + e.getMessage());
        };
    }

    private static MatrixException tooLarge(long maxBytes) {
        return new MatrixException(ErrCode.M_TOO_LARGE, 502, "Remote media is larger than " + maxBytes + " bytes");
    }
}
