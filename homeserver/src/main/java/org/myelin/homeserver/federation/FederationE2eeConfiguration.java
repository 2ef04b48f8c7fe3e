package org.myelin.homeserver.federation;

import java.time.Clock;
import java.util.List;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.RemoteDeviceListRepository;
import org.myelin.db.support.Database;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.KeyQuery;
import org.myelin.ephemeral.e2ee.RemoteKeys;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.auth.RequestAuthenticator;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.e2ee.E2eeFederationRoutes;
import org.myelin.federation.server.e2ee.FederatedKeys;
import org.myelin.federation.server.transaction.InboundEduHandler;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.http.ApiRoutes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * End-to-end encryption across servers: the key routes served to others, the handlers of device-list and
 * to-device EDUs, and other servers' keys for the client API (nothing when federation is off).
 */
@Configuration(proxyBeanMethods = false)
public class FederationE2eeConfiguration {

    @Bean
    RemoteDeviceListRepository remoteDeviceListRepository(Database db) {
        return new RemoteDeviceListRepository(db);
    }

    @Bean
    ApiRoutes federationE2eeRoutes(RequestAuthenticator auth, ServerName serverName, KeyQuery keys,
            DeviceListRepository lists, OneTimeKeyRepository oneTimeKeys) {
        return E2eeFederationRoutes.addTo(new FederationRouteTable(auth),
                new E2eeFederationRoutes.Parts(serverName, keys, lists, oneTimeKeys)).build();
    }

    @Bean
    List<InboundEduHandler> e2eeEduHandlers(ServerName serverName, RemoteDeviceListRepository cache,
            DeviceLists deviceLists, FederationClient client, ToDeviceService toDevice, LocalServer localServer,
            Clock clock) {
        return E2eeFederationRoutes.eduHandlers(serverName, cache, deviceLists, client, toDevice, localServer,
                clock);
    }

    @Bean
    RemoteKeys remoteKeys(MyelinProperties p, ServerName serverName, RemoteDeviceListRepository cache,
            DeviceLists deviceLists, FederationClient client, Clock clock) {
        return p.federation().port() == -1 ? RemoteKeys.NONE
                : new FederatedKeys(serverName, cache, deviceLists, client, clock);
    }
}
