package org.myelin.federation.server.e2ee;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.db.e2ee.RemoteDeviceListRepository;
import org.myelin.db.e2ee.RemoteDeviceListRepository.Device;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Re-reads another server's user's whole device list with {@code GET /_matrix/federation/v1/user/devices/{userId}}
 * into the cache, as a device-list change of that user here. When that fails a fresh cached copy is marked stale
 * (a change too, once: local users re-query, and a server that stays down does not make every failed query a new
 * change), so that {@code /keys/query} does not answer from it and the next query or update tries again; the
 * returned {@code Mono} then fails too, with the reason.
 */
final class DeviceListResync {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceListResync.class);

    private final RemoteDeviceListRepository cache;
    private final DeviceLists deviceLists;
    private final FederationClient client;
    private final Clock clock;

    DeviceListResync(RemoteDeviceListRepository cache, DeviceLists deviceLists, FederationClient client,
            Clock clock) {
        this.cache = cache;
        this.deviceLists = deviceLists;
        this.client = client;
        this.clock = clock;
    }

    /** Re-reads the list of {@code userId}, a user of {@code server} (within the client's request timeout). */
    Mono<Void> resync(ServerName server, String userId) {
        return client.get(server, "/_matrix/federation/v1/user/devices/" + FederationClient.segment(userId))
                .flatMap(answer -> store(userId, answer))
                .onErrorResume(e -> {
                    LOG.info("Could not re-read the device list of {} from {}: {}", userId, server, e.toString());
                    return cache.find(userId).filter(cached -> !cached.stale())
                            .flatMap(cached -> deviceLists.record(List.of(new Change(userId, null, null)),
                                    position -> cache.markStale(userId)))
                            .then(Mono.error(e));
                });
    }

    private Mono<Void> store(String userId, JsonNode answer) {
        if (!userId.equals(answer.path("user_id").stringValue(null)) || !answer.path("stream_id").isIntegralNumber()
                || !answer.path("devices").isArray()) {
            return Mono.error(new IllegalArgumentException("malformed /user/devices answer"));
        }
        List<Device> devices = new ArrayList<>();
        for (JsonNode d : answer.path("devices")) {
            String deviceId = d.path("device_id").stringValue(null);
            if (deviceId != null && EduFields.deviceKeysOf(d.path("keys"), userId, deviceId)) {
                devices.add(new Device(userId, deviceId, d.path("keys").toString(),
                        d.path("device_display_name").stringValue(null)));
            }
        }
        String master = EduFields.crossSigningKeyOf(answer.path("master_key"), userId);
        String selfSigning = EduFields.crossSigningKeyOf(answer.path("self_signing_key"), userId);
        return deviceLists.record(List.of(new Change(userId, null, null)), position -> cache.replace(userId,
                answer.path("stream_id").asLong(), master, selfSigning, devices, clock.millis())).then();
    }
}
