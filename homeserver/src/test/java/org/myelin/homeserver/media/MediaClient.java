package org.myelin.homeserver.media;

import java.util.Map;

import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Uploads and downloads through the real HTTP API, as a client does. */
final class MediaClient {

    static final String UPLOAD = "/_matrix/media/v3/upload";
    static final String DOWNLOAD = "/_matrix/client/v1/media/download/";
    static final String THUMBNAIL = "/_matrix/client/v1/media/thumbnail/";

    private final WebTestClient http;

    MediaClient(WebTestClient http) {
        this.http = http.mutate().codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024)).build();
    }

    /** POST /upload; the response, unchecked. */
    WebTestClient.ResponseSpec upload(Session s, String contentType, String fileName, byte[] body) {
        String uri = fileName == null ? UPLOAD : UPLOAD + "?filename={name}";
        WebTestClient.RequestBodySpec spec = http.post().uri(uri, fileName == null ? new Object[0]
                : new Object[] {fileName});
        if (s != null) {
            spec = spec.header("Authorization", s.bearer());
        }
        if (contentType != null) {
            spec = spec.header("Content-Type", contentType);
        }
        return spec.bodyValue(body).exchange();
    }

    /** Uploads and returns the mxc:// URI. */
    String uploaded(Session s, String contentType, String fileName, byte[] body) {
        Map<String, Object> json = MatrixErrors.body(upload(s, contentType, fileName, body).expectStatus().isOk());
        return (String) json.get("content_uri");
    }

    /** "server/mediaId" of an mxc:// URI. */
    static String path(String mxc) {
        return mxc.substring("mxc://".length());
    }

    /** GET with an optional token; the response, unchecked. */
    WebTestClient.ResponseSpec get(String uri, Session s) {
        WebTestClient.RequestHeadersSpec<?> spec = http.get().uri(uri);
        if (s != null) {
            spec = spec.header("Authorization", s.bearer());
        }
        return spec.exchange();
    }

    /** An authenticated download that must succeed; its bytes and headers. */
    EntityExchangeResult<byte[]> download(String mxc, Session s) {
        return get(DOWNLOAD + path(mxc), s).expectStatus().isOk().expectBody(byte[].class).returnResult();
    }
}
