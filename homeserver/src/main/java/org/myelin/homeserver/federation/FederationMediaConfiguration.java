package org.myelin.homeserver.federation;

import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.auth.RequestAuthenticator;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.media.FederationMediaSource;
import org.myelin.federation.server.media.MediaFederationRoutes;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.http.ApiRoutes;
import org.myelin.http.outbound.GuardedHttpClient;
import org.myelin.http.outbound.OutboundAddressGuard;
import org.myelin.media.MediaService;
import org.myelin.media.RemoteMediaSource;
import org.myelin.media.ThumbnailService;
import org.myelin.media.store.MediaStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Media across servers: the federation media routes this server answers, and the source the content repository
 * fetches other servers' media from (federation, and {@code Location} answers through the outbound guard with the
 * federation request timeout).
 */
@Configuration(proxyBeanMethods = false)
public class FederationMediaConfiguration {

    /** Redirects a media Location answer may take before it is given up. */
    private static final int MAX_MEDIA_REDIRECTS = 5;

    @Bean
    ApiRoutes federationMediaRoutes(RequestAuthenticator auth, ServerName serverName, MediaService media,
            ThumbnailService thumbnails, MediaStore store) {
        return MediaFederationRoutes.addTo(new FederationRouteTable(auth), serverName, media, thumbnails, store)
                .build();
    }

    @Bean(destroyMethod = "close")
    GuardedHttpClient mediaRedirectHttpClient(MyelinProperties p, OutboundAddressGuard guard) {
        return new GuardedHttpClient(new GuardedHttpClient.Settings(p.federation().requestTimeout(),
                MAX_MEDIA_REDIRECTS, "Myelin"), guard);
    }

    @Bean
    RemoteMediaSource remoteMediaSource(FederationClient client,
            @Qualifier("mediaRedirectHttpClient") GuardedHttpClient http) {
        return new FederationMediaSource(client, http);
    }
}
