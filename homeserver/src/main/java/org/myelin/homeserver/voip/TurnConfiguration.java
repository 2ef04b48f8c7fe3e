package org.myelin.homeserver.voip;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.myelin.clientapi.http.ClientApiSettings;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.voip.credentials.TurnCredentials;
import org.myelin.voip.credentials.TurnOffer;
import org.myelin.voip.relay.TurnRelayConfig;
import org.myelin.voip.relay.TurnRelayServer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Wires TURN: the built-in relay (unless {@code myelin.turn.enabled=false}) and the offer /voip/turnServer makes,
 * whose URIs name the relay's actual ports plus any external TURN servers configured.
 */
@Configuration(proxyBeanMethods = false)
public class TurnConfiguration {

    @Bean
    TurnRelayServer turnRelayServer(MyelinProperties properties, ClientApiSettings settings, MeterRegistry registry,
            Clock clock) {
        MyelinProperties.Turn turn = properties.turn();
        String secret = TurnSecret.resolve(turn.sharedSecret(), properties.dataDir());
        try {
            TurnRelayConfig.Builder config = TurnRelayConfig.builder(secret)
                    .enabled(turn.enabled())
                    .realm(turn.realm().isBlank() ? settings.serverName() : turn.realm())
                    .listenAddress(InetAddress.getByName(turn.listenAddress()))
                    .udpPort(turn.udpPort()).tcpPort(turn.tcpPort()).tlsPort(turn.tlsPort())
                    .relayPorts(turn.relayPortMin(), turn.relayPortMax())
                    .allowedPeerCidrs(turn.allowedPeerCidrs())
                    .maxAllocationsPerUser(turn.maxAllocationsPerUser())
                    .bandwidthLimitBytesPerSecond(turn.bandwidthLimitBytesPerSecond())
                    .lifetimes(turn.defaultLifetime(), turn.maxLifetime())
                    .nonceLifetime(turn.nonceLifetime());
            if (!turn.externalAddress().isBlank()) {
                config.externalAddress(InetAddress.getByName(turn.externalAddress()));
            }
            if (!turn.tlsCertificate().isBlank()) {
                config.tls(Path.of(turn.tlsCertificate()),
                        turn.tlsPrivateKey().isBlank() ? null : Path.of(turn.tlsPrivateKey()),
                        turn.tlsKeystorePassword());
            }
            return new TurnRelayServer(config.build(), registry, clock);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new StartupException("invalid TURN setting: " + e.getMessage());
        }
    }

    @Bean
    @ConditionalOnProperty(name = "myelin.turn.enabled", havingValue = "true", matchIfMissing = true)
    TurnRelayLifecycle turnRelayLifecycle(TurnRelayServer relay) {
        return new TurnRelayLifecycle(relay);
    }

    @Bean
    TurnOffer turnOffer(MyelinProperties properties, ClientApiSettings settings, TurnRelayServer relay,
            Clock clock) {
        MyelinProperties.Turn turn = properties.turn();
        if (!turn.enabled() && turn.externalUris().isEmpty()) {
            return new TurnOffer(null, List::of);
        }
        String secret = TurnSecret.resolve(turn.sharedSecret(), properties.dataDir());
        String host = !turn.host().isBlank() ? turn.host()
                : !turn.externalAddress().isBlank() ? turn.externalAddress()
                : settings.serverName().replaceFirst(":\\d+$", "");
        return new TurnOffer(new TurnCredentials(secret, turn.credentialTtl(), clock), () -> {
            List<String> uris = new ArrayList<>();
            if (turn.enabled()) {
                uris.addAll(TurnOffer.relayUris(host, port(relay.udpAddress()), port(relay.tcpAddress()),
                        port(relay.tlsAddress())));
            }
            uris.addAll(turn.externalUris());
            return uris;
        });
    }

    private static int port(InetSocketAddress address) {
        return address == null ? -1 : address.getPort();
    }
}
