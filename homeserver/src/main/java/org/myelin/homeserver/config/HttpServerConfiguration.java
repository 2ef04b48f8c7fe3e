package org.myelin.homeserver.config;

import java.time.Duration;
import java.util.List;

import org.myelin.clientapi.media.MediaRoutes;
import org.myelin.homeserver.http.HttpConnectionLimits;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.HttpLimits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connection limits and timeouts of the HTTP listeners ({@code myelin.http.*}) and the request limits every API
 * shares.
 */
@Configuration(proxyBeanMethods = false)
public class HttpServerConfiguration {

    /** The body limit of server-server requests: 50 PDUs of at most 64 KiB each, with room for 100 EDUs. */
    static final long FEDERATION_MAX_REQUEST_BYTES = 8L * 1024 * 1024;

    @Bean
    HttpConnectionLimits httpConnectionLimits(MyelinProperties p) {
        MyelinProperties.Http http = p.http();
        requirePositive("MYELIN_HTTP_HEADER_TIMEOUT", http.headerTimeout());
        requirePositive("MYELIN_HTTP_BODY_TIMEOUT", http.bodyTimeout());
        requirePositive("MYELIN_HTTP_IDLE_TIMEOUT", http.idleTimeout());
        if (http.maxConnections() < 1) {
            throw new StartupException("MYELIN_HTTP_MAX_CONNECTIONS must be at least 1");
        }
        return new HttpConnectionLimits(http.headerTimeout(), http.bodyTimeout(), http.idleTimeout(),
                http.maxConnections(), Math.max(Math.max(p.limits().maxRequestBytes(), p.media().maxUploadBytes()),
                FEDERATION_MAX_REQUEST_BYTES));
    }

    /**
     * JSON bodies have myelin.limits.max-request-bytes; media uploads (v3, and their r0 twin)
     * myelin.media.max-upload-bytes; federation requests {@link #FEDERATION_MAX_REQUEST_BYTES}, as a transaction of
     * 50 PDUs of 64 KiB and 100 EDUs needs.
     */
    @Bean
    HttpLimits httpLimits(MyelinProperties p) {
        return new HttpLimits(p.limits().maxRequestBytes(),
                List.of(new HttpLimits.PathLimit(MediaRoutes.UPLOAD_PATH_PREFIX, p.media().maxUploadBytes()),
                        new HttpLimits.PathLimit(MediaRoutes.R0_UPLOAD_PATH_PREFIX, p.media().maxUploadBytes()),
                        new HttpLimits.PathLimit("/_matrix/federation/", FEDERATION_MAX_REQUEST_BYTES)));
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new StartupException(name + " must be a positive duration, not " + value);
        }
    }
}
