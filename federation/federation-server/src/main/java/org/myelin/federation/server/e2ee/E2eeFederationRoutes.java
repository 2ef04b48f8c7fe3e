package org.myelin.federation.server.e2ee;

import java.time.Clock;
import java.util.List;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.RemoteDeviceListRepository;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.KeyQuery;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.transaction.InboundEduHandler;
import org.springframework.http.HttpMethod;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * End-to-end encryption across servers: the signed key routes served to others, and the handlers of the EDUs
 * other servers send about their users' keys and to-device messages.
 */
public final class E2eeFederationRoutes {

    /** What serving keys needs. */
    public record Parts(ServerName self, KeyQuery keys, DeviceListRepository lists, OneTimeKeyRepository oneTimeKeys) {
    }

    private E2eeFederationRoutes() {
    }

    public static FederationRouteTable addTo(FederationRouteTable table, Parts parts) {
        UserKeysHandler handler = new UserKeysHandler(parts.self(), parts.keys(), parts.lists(), parts.oneTimeKeys());
        return table
                .signed(HttpMethod.GET, "/_matrix/federation/v1/user/devices/{userId}", handler::devices)
                .signed(HttpMethod.POST, "/_matrix/federation/v1/user/keys/query", handler::query)
                .signed(HttpMethod.POST, "/_matrix/federation/v1/user/keys/claim", handler::claim);
    }

    /** The handlers of {@code m.device_list_update}, {@code m.signing_key_update} and {@code m.direct_to_device}. */
    public static List<InboundEduHandler> eduHandlers(ServerName self, RemoteDeviceListRepository cache,
            DeviceLists deviceLists, FederationClient client, ToDeviceService toDevice, LocalServer localServer,
            Clock clock) {
        InboundDeviceLists lists = new InboundDeviceLists(self, cache, deviceLists,
                new DeviceListResync(cache, deviceLists, client, clock), clock);
        InboundToDevice toDeviceEdus = new InboundToDevice(toDevice, localServer);
        return List.of(handler("m.device_list_update", lists::deviceListUpdate),
                handler("m.signing_key_update", lists::signingKeyUpdate),
                handler(ToDeviceService.EDU_TYPE, toDeviceEdus::apply));
    }

    private interface Apply {
        Mono<Void> apply(ServerName origin, JsonNode content);
    }

    private static InboundEduHandler handler(String type, Apply apply) {
        return new InboundEduHandler() {
            @Override
            public String eduType() {
                return type;
            }

            @Override
            public Mono<Void> apply(ServerName origin, JsonNode content) {
                return apply.apply(origin, content);
            }
        };
    }
}
