package org.myelin.federation.server.e2ee;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.db.e2ee.RemoteDeviceListRepository;
import org.myelin.db.e2ee.RemoteDeviceListRepository.Cached;
import org.myelin.db.e2ee.RemoteDeviceListRepository.Device;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.federation.protocol.id.ServerName;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Other servers' users' device lists, kept for the local users sharing a room with them: {@code
 * m.device_list_update} and {@code m.signing_key_update} EDUs update the cached copy when they follow on from it
 * ({@code prev_id} names the cached {@code stream_id}); an update after a gap, or for a user with nothing cached,
 * re-reads the whole list with {@code GET /user/devices/{userId}} (a failed re-read marks the copy stale: it is
 * not answered from, and the next {@code /keys/query} or update re-reads it, {@link FederatedKeys}). Each change
 * is a device-list change of that user here, so the local users sharing a room with them see it in {@code
 * device_lists.changed}.
 */
final class InboundDeviceLists {

    private final ServerName self;
    private final RemoteDeviceListRepository cache;
    private final DeviceLists deviceLists;
    private final DeviceListResync resync;
    private final Clock clock;

    InboundDeviceLists(ServerName self, RemoteDeviceListRepository cache, DeviceLists deviceLists,
            DeviceListResync resync, Clock clock) {
        this.self = self;
        this.cache = cache;
        this.deviceLists = deviceLists;
        this.resync = resync;
        this.clock = clock;
    }

    /** An {@code m.device_list_update} from {@code origin}. */
    Mono<Void> deviceListUpdate(ServerName origin, JsonNode content) {
        String userId = EduFields.userOf(origin, content, "user_id");
        String deviceId = content.path("device_id").stringValue(null);
        JsonNode streamId = content.path("stream_id");
        if (userId == null || deviceId == null || !streamId.isIntegralNumber()) {
            return Mono.empty();
        }
        List<Long> prevIds = new ArrayList<>();
        content.path("prev_id").forEach(p -> prevIds.add(p.isIntegralNumber() ? p.asLong() : Long.MIN_VALUE));
        boolean deleted = content.path("deleted").asBoolean(false);
        JsonNode keys = content.path("keys");
        if (!deleted && keys.isObject() && !EduFields.deviceKeysOf(keys, userId, deviceId)) {
            return Mono.empty();
        }
        String name = content.path("device_display_name").stringValue(null);
        return tracked(userId).flatMap(cached -> {
            if (cached.isEmpty() || cached.get().stale()
                    || !prevIds.stream().allMatch(p -> p == cached.get().streamId())) {
                return cached.isPresent() && !cached.get().stale() && streamId.asLong() <= cached.get().streamId()
                        ? Mono.<Void>empty() : resync(origin, userId);
            }
            if (streamId.asLong() <= cached.get().streamId()) {
                return Mono.empty();
            }
            long now = clock.millis();
            Mono<Void> update = deleted || !keys.isObject()
                    ? cache.deleteDevice(userId, deviceId, streamId.asLong(), now)
                    : cache.updateDevice(new Device(userId, deviceId, keys.toString(), name), streamId.asLong(), now);
            return deviceLists.record(List.of(new Change(userId, deviceId, null)), position -> update).then();
        });
    }

    /** An {@code m.signing_key_update} from {@code origin}. */
    Mono<Void> signingKeyUpdate(ServerName origin, JsonNode content) {
        String userId = EduFields.userOf(origin, content, "user_id");
        if (userId == null) {
            return Mono.empty();
        }
        String master = EduFields.crossSigningKeyOf(content.path("master_key"), userId);
        String selfSigning = EduFields.crossSigningKeyOf(content.path("self_signing_key"), userId);
        if (master == null && selfSigning == null) {
            return Mono.empty();
        }
        return tracked(userId).flatMap(cached -> cached.isEmpty() || cached.get().stale() ? resync(origin, userId)
                : deviceLists.record(List.of(new Change(userId, null, null)),
                        position -> cache.signingKeys(userId, master, selfSigning, clock.millis())).then());
    }

    /** The cached copy (possibly none) when this server keeps the user's list; empty when it does not. */
    private Mono<Optional<Cached>> tracked(String userId) {
        return cache.tracked(userId, self.value()).filter(Boolean::booleanValue)
                .flatMap(t -> cache.find(userId).map(Optional::of)
                        .defaultIfEmpty(Optional.empty()));
    }

    /** Re-reads the user's whole list from their server; a failure (logged, the copy marked stale) ends here. */
    private Mono<Void> resync(ServerName origin, String userId) {
        return resync.resync(origin, userId).onErrorResume(e -> Mono.empty());
    }
}
