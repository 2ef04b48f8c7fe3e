package org.myelin.homeserver.federation;

import java.time.Clock;

import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.keys.KeyRoutes;
import org.myelin.federation.server.keys.ServerKeys;
import org.myelin.federation.server.version.VersionRoutes;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.homeserver.http.HttpConnectionLimits;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.ApiRoutes;
import org.myelin.room.keys.SigningKeyRotation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

/** The server-server side ({@code myelin.federation.*}, {@code myelin.tls.*}): its routes and its TLS listener. */
@Configuration(proxyBeanMethods = false)
public class FederationConfiguration {

    @Bean
    ServerKeys serverKeys(MyelinProperties p, ServerName serverName, SigningKey key, Clock clock) {
        return new ServerKeys(serverName, key, SigningKeyRotation.oldKeys(p.dataDir()), clock);
    }

    @Bean
    ApiRoutes keyRoutes(ServerKeys keys) {
        return KeyRoutes.of(keys);
    }

    @Bean
    ApiRoutes federationVersionRoutes() {
        String version = FederationConfiguration.class.getPackage().getImplementationVersion();
        return VersionRoutes.of(version == null ? "development build" : version);
    }

    /** The TLS listener, or none when {@code MYELIN_FEDERATION_PORT} is -1. */
    @Bean
    FederationListener federationListener(MyelinProperties p, ObjectProvider<HttpHandler> handler,
            HttpConnectionLimits limits) {
        MyelinProperties.Federation federation = p.federation();
        if (federation.port() < -1 || federation.port() > 65535) {
            throw new StartupException("MYELIN_FEDERATION_PORT must be -1 (off), 0 (any free port) or a port, not "
                    + federation.port());
        }
        FederationCertificate certificate = federation.port() == -1 ? null : FederationCertificate.load(
                p.tls().certificate(), p.tls().privateKey(), p.dataDir(), p.serverName());
        return new FederationListener(new FederationListener.Settings(federation.listenAddress(), federation.port(),
                federation.clientApi(), certificate), handler, limits);
    }
}
