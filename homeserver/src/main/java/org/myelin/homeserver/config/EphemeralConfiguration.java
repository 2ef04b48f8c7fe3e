package org.myelin.homeserver.config;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.presence.PresenceSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Settings of the ephemeral streams (typing, receipts, presence, account data, to-device). */
@Configuration(proxyBeanMethods = false)
public class EphemeralConfiguration {

    @Bean
    PresenceSettings presenceSettings(MyelinProperties properties) {
        return new PresenceSettings(properties.presence().enabled());
    }

    @Bean
    LocalServer localServer(ClientApiSettings settings) {
        return new LocalServer(settings.serverName());
    }
}
