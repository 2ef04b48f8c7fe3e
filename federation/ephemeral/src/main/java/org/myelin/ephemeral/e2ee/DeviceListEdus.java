package org.myelin.ephemeral.e2ee;

import java.util.List;
import java.util.Map;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells the servers sharing a room with a local user of each change of their device list (server-server API
 * "Device Management"): an {@code m.device_list_update} per changed device, whose {@code stream_id} is the
 * change's position on the "device_lists" stream and whose {@code prev_id} names the user's previous device
 * change, so a receiver that missed one sees the gap; an {@code m.signing_key_update} when their master or
 * self-signing key changed. Runs in the transaction of the change, so the EDUs are queued if and only if it commits.
 */
@Component
public class DeviceListEdus {

    static final String DEVICE_LIST_UPDATE = "m.device_list_update";
    static final String SIGNING_KEY_UPDATE = "m.signing_key_update";

    private final KeyQuery keys;
    private final DeviceListRepository lists;
    private final ToDeviceRepository devices;
    private final LocalServer localServer;
    private final OutboundEdus outbound;
    private final ObjectMapper mapper;

    public DeviceListEdus(KeyQuery keys, DeviceListRepository lists, ToDeviceRepository devices,
            LocalServer localServer, OutboundEdus outbound, ObjectMapper mapper) {
        this.keys = keys;
        this.lists = lists;
        this.devices = devices;
        this.localServer = localServer;
        this.outbound = outbound;
        this.mapper = mapper;
    }

    /** Queues the EDUs for {@code recorded}, stored at the positions {@code (lastPosition - size, lastPosition]}. */
    Mono<Void> queue(List<Change> recorded, long lastPosition) {
        long first = lastPosition - recorded.size() + 1;
        return Flux.range(0, recorded.size()).concatMap(i -> {
            Change c = recorded.get(i);
            if (c.visibleTo() != null || !localServer.isLocal(c.userId())) {
                return Mono.<Void>empty();
            }
            return c.deviceId() == null ? signingKeys(c.userId()) : device(c.userId(), c.deviceId(), first + i);
        }).then();
    }

    private Mono<Void> device(String userId, String deviceId, long position) {
        return Mono.zip(keys.query(Map.of(userId, List.of(deviceId))), devices.devices(userId),
                lists.previousDeviceChange(userId, position).map(List::of).defaultIfEmpty(List.of()))
                .flatMap(t -> {
                    ObjectNode content = mapper.createObjectNode().put("user_id", userId).put("device_id", deviceId)
                            .put("stream_id", position);
                    content.set("prev_id", mapper.valueToTree(t.getT3()));
                    ObjectNode deviceKeys = t.getT1().deviceKeys().get(userId).get(deviceId);
                    if (!t.getT2().contains(deviceId)) {
                        content.put("deleted", true);
                    } else if (deviceKeys != null) {
                        ObjectNode unsigned = (ObjectNode) deviceKeys.remove("unsigned");
                        if (unsigned != null && unsigned.has("device_display_name")) {
                            content.set("device_display_name", unsigned.get("device_display_name"));
                        }
                        content.set("keys", deviceKeys);
                    }
                    return outbound.toServersOf(userId, DEVICE_LIST_UPDATE, content);
                });
    }

    private Mono<Void> signingKeys(String userId) {
        return keys.query(Map.of(userId, List.of())).flatMap(result -> {
            ObjectNode content = mapper.createObjectNode().put("user_id", userId);
            ObjectNode master = crossSigning(result, Usage.MASTER, userId);
            ObjectNode selfSigning = crossSigning(result, Usage.SELF_SIGNING, userId);
            if (master == null && selfSigning == null) {
                return Mono.empty();
            }
            if (master != null) {
                content.set("master_key", master);
            }
            if (selfSigning != null) {
                content.set("self_signing_key", selfSigning);
            }
            return outbound.toServersOf(userId, SIGNING_KEY_UPDATE, content);
        });
    }

    private static ObjectNode crossSigning(KeyQuery.Result result, Usage usage, String userId) {
        Map<String, ObjectNode> byUser = result.crossSigningKeys().get(usage);
        return byUser == null ? null : byUser.get(userId);
    }
}
