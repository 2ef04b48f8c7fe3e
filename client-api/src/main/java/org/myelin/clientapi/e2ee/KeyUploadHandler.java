package org.myelin.clientapi.e2ee;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.e2ee.DeviceKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository.Key;
import org.myelin.db.support.Database;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.federation.protocol.e2ee.DeviceKeys;
import org.myelin.federation.protocol.e2ee.OneTimeKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * POST /_matrix/client/v3/keys/upload (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysupload).
 * Everything is checked before anything is stored: device keys must be the caller's device's, signed by their own
 * Ed25519 key, and may not replace different keys of that device (signatures and algorithms may change); a
 * one-time key ID uploaded again must carry the same key. Fallback keys replace the device's previous one of
 * their algorithm. New or changed device keys are a device-list change.
 */
@Component
public class KeyUploadHandler {

    private final JsonBodies bodies;
    private final DeviceKeyRepository deviceKeys;
    private final OneTimeKeyRepository oneTimeKeys;
    private final DeviceLists deviceLists;
    private final Database db;
    private final Scheduler cpu;

    public KeyUploadHandler(JsonBodies bodies, DeviceKeyRepository deviceKeys, OneTimeKeyRepository oneTimeKeys,
            DeviceLists deviceLists, Database db, Scheduler cpuScheduler) {
        this.bodies = bodies;
        this.deviceKeys = deviceKeys;
        this.oneTimeKeys = oneTimeKeys;
        this.deviceLists = deviceLists;
        this.db = db;
        this.cpu = cpuScheduler;
    }

    /** What one upload carries, checked. */
    private record Upload(DeviceKeys deviceKeys, List<OneTimeKey> oneTimeKeys, List<OneTimeKey> fallbackKeys) {
    }

    public Mono<ServerResponse> upload(ServerRequest request, Requester requester) {
        String userId = requester.userId();
        String deviceId = requester.deviceId();
        if (deviceId == null) {
            return Mono.error(MatrixException.invalidParam("This access token has no device to upload keys for"));
        }
        return bodies.object(request)
                .flatMap(body -> Mono.fromCallable(() -> parse(body, userId, deviceId)).subscribeOn(cpu))
                .flatMap(upload -> checkOneTimeKeys(userId, deviceId, upload.oneTimeKeys())
                        .then(deviceKeysChange(userId, deviceId, upload.deviceKeys()))
                        .flatMap(changed -> store(userId, deviceId, upload, changed))
                        .then(oneTimeKeys.counts(userId, deviceId)))
                .flatMap(counts -> Responses.ok(Map.of("one_time_key_counts", KeyCounts.withDefaults(counts))));
    }

    private static Upload parse(JsonNode body, String userId, String deviceId) {
        JsonNode device = present(body, "device_keys");
        JsonNode oneTime = present(body, "one_time_keys");
        JsonNode fallback = present(body, "fallback_keys");
        return new Upload(device == null ? null : DeviceKeys.parse(device, userId, deviceId),
                oneTime == null ? List.of() : OneTimeKey.parseAll(oneTime, "one_time_keys", false),
                fallback == null ? List.of() : OneTimeKey.parseAll(fallback, "fallback_keys", true));
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private Mono<Void> checkOneTimeKeys(String userId, String deviceId, List<OneTimeKey> keys) {
        return oneTimeKeys.existing(userId, deviceId, keys.stream().map(KeyUploadHandler::key).toList())
                .doOnNext(stored -> {
                    for (Key s : stored) {
                        OneTimeKey uploaded = keys.stream().filter(k -> k.algorithm().equals(s.algorithm())
                                && k.keyId().equals(s.keyId())).findFirst().orElseThrow();
                        if (!uploaded.sameKeyAs(s.keyJson())) {
                            throw MatrixException.invalidParam("One-time key " + s.algorithm() + ":" + s.keyId()
                                    + " already exists with another key");
                        }
                    }
                }).then();
    }

    /** Whether storing {@code uploaded} changes the device's keys; fails when it would replace its identity keys. */
    private Mono<Boolean> deviceKeysChange(String userId, String deviceId, DeviceKeys uploaded) {
        if (uploaded == null) {
            return Mono.just(false);
        }
        String json = CanonicalJson.encodeToString(uploaded.json(), Mode.STRICT);
        return deviceKeys.find(userId, deviceId).map(stored -> {
            if (stored.equals(json)) {
                return false;
            }
            JsonNode storedKeys = CanonicalJson.parse(stored, Mode.STRICT).path("keys");
            if (!storedKeys.equals(uploaded.json().path("keys"))) {
                throw MatrixException.invalidParam("This device already has other identity keys; "
                        + "log in as a new device to use new ones");
            }
            return true;
        }).defaultIfEmpty(true);
    }

    private Mono<Void> store(String userId, String deviceId, Upload upload, boolean deviceKeysChanged) {
        List<Mono<Void>> writes = new ArrayList<>();
        if (deviceKeysChanged) {
            writes.add(deviceKeys.put(userId, deviceId,
                    CanonicalJson.encodeToString(upload.deviceKeys().json(), Mode.STRICT)));
        }
        writes.add(oneTimeKeys.insert(userId, deviceId, upload.oneTimeKeys().stream().map(KeyUploadHandler::key)
                .toList()));
        upload.fallbackKeys().forEach(k -> writes.add(oneTimeKeys.putFallback(userId, deviceId, key(k))));
        Mono<Void> all = Mono.defer(() -> Flux.concat(writes).then());
        return deviceKeysChanged ? deviceLists.devicesChanged(userId, List.of(deviceId), all).then()
                : db.inTransaction(all);
    }

    private static Key key(OneTimeKey k) {
        return new Key(k.algorithm(), k.keyId(), k.json());
    }
}
