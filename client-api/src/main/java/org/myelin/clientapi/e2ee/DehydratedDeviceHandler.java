package org.myelin.clientapi.e2ee;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.DeviceRemoval;
import org.myelin.clientapi.auth.Requester;
import org.myelin.db.account.DeviceRepository;
import org.myelin.db.e2ee.DehydratedDeviceRepository;
import org.myelin.db.e2ee.DeviceKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository.Key;
import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.ToDeviceRepository.Delivery;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.myelin.federation.protocol.e2ee.DeviceKeys;
import org.myelin.federation.protocol.e2ee.OneTimeKey;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Dehydrated devices (MSC3814), as Synapse serves them under {@code /_matrix/client/unstable/org.matrix.msc3814.v1}
 * (NOTSPEC: not in v1.19). A user has at most one: a device of its own, with keys uploaded like any device's, whose
 * encrypted state ({@code device_data}) the server keeps, and whose to-device messages a client that rehydrates
 * it reads in batches through {@code POST .../dehydrated_device/{deviceId}/events}. Uploading a new one deletes the
 * previous one.
 */
@Component
public class DehydratedDeviceHandler {

    /** The most to-device messages one events batch returns, as for /sync. */
    static final int BATCH = 100;

    private final JsonBodies bodies;
    private final DehydratedDeviceRepository dehydrated;
    private final DeviceRepository devices;
    private final DeviceRemoval removal;
    private final DeviceKeyRepository deviceKeys;
    private final OneTimeKeyRepository oneTimeKeys;
    private final DeviceLists deviceLists;
    private final ToDeviceRepository toDevice;
    private final StreamWriter streams;
    private final ObjectMapper mapper;
    private final Scheduler cpu;
    private final Clock clock;

    public DehydratedDeviceHandler(JsonBodies bodies, DehydratedDeviceRepository dehydrated, DeviceRepository devices,
            DeviceRemoval removal, DeviceKeyRepository deviceKeys, OneTimeKeyRepository oneTimeKeys,
            DeviceLists deviceLists, ToDeviceRepository toDevice, StreamWriter streams, ObjectMapper mapper,
            Scheduler cpuScheduler, Clock clock) {
        this.bodies = bodies;
        this.dehydrated = dehydrated;
        this.devices = devices;
        this.removal = removal;
        this.deviceKeys = deviceKeys;
        this.oneTimeKeys = oneTimeKeys;
        this.deviceLists = deviceLists;
        this.toDevice = toDevice;
        this.streams = streams;
        this.mapper = mapper;
        this.cpu = cpuScheduler;
        this.clock = clock;
    }

    /** The checked contents of a PUT. */
    private record Upload(String deviceId, String deviceData, String displayName, DeviceKeys deviceKeys,
            List<OneTimeKey> oneTimeKeys, List<OneTimeKey> fallbackKeys) {
    }

    /** PUT .../dehydrated_device: replaces the user's dehydrated device with a new one and its keys. */
    public Mono<ServerResponse> put(ServerRequest request, Requester requester) {
        String userId = requester.userId();
        return bodies.object(request).flatMap(body -> Mono.fromCallable(() -> parse(body, userId)).subscribeOn(cpu))
                .flatMap(upload -> dehydrated.find(userId).map(d -> d.deviceId()).defaultIfEmpty("")
                        .flatMap(previous -> devices.find(userId, upload.deviceId())
                                .flatMap(taken -> taken.deviceId().equals(previous) ? Mono.empty()
                                        : Mono.error(MatrixException.invalidParam("Device ID already in use")))
                                .then(previous.isEmpty() ? Mono.empty() : removal.remove(userId, List.of(previous))))
                        .then(deviceLists.devicesChanged(userId, List.of(upload.deviceId()), store(userId, upload)))
                        .then(Responses.ok(Map.of("device_id", upload.deviceId()))));
    }

    /** GET .../dehydrated_device */
    public Mono<ServerResponse> get(ServerRequest request, Requester requester) {
        return dehydrated.find(requester.userId())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No dehydrated device available")))
                .flatMap(d -> Responses.ok(Map.of("device_id", d.deviceId(), "device_data",
                        mapper.readTree(d.deviceDataJson()))));
    }

    /** DELETE .../dehydrated_device: the device and everything it holds. */
    public Mono<ServerResponse> delete(ServerRequest request, Requester requester) {
        return dehydrated.find(requester.userId())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No dehydrated device available")))
                .flatMap(d -> removal.remove(requester.userId(), List.of(d.deviceId()))
                        .then(Responses.ok(Map.of("device_id", d.deviceId()))));
    }

    /**
     * POST .../dehydrated_device/{deviceId}/events: the device's to-device messages after {@code next_batch}
     * ({@code d<position>}, as Synapse writes it), at most {@value #BATCH}; those up to {@code next_batch} are
     * acknowledged and deleted.
     */
    public Mono<ServerResponse> events(ServerRequest request, Requester requester) {
        String deviceId = request.pathVariable("deviceId");
        String userId = requester.userId();
        return bodies.optionalObject(request).flatMap(body -> {
            long since = since(JsonFields.optionalString(body, "next_batch", TextLimits.DEFAULT));
            return dehydrated.find(userId).filter(d -> d.deviceId().equals(deviceId))
                    .switchIfEmpty(Mono.error(() -> MatrixException.forbidden(
                            "You may only fetch the messages of your dehydrated device")))
                    .then(toDevice.acknowledge(userId, deviceId, since))
                    .then(streams.current(ToDeviceService.STREAM))
                    .flatMap(upTo -> toDevice.pending(userId, deviceId, since, upTo, BATCH))
                    .flatMap(messages -> Responses.ok(batch(messages, since)));
        });
    }

    private Map<String, Object> batch(List<Delivery> messages, long since) {
        List<ObjectNode> events = new ArrayList<>();
        for (Delivery d : messages) {
            ObjectNode event = mapper.createObjectNode().put("type", d.type()).put("sender", d.sender());
            event.set("content", mapper.readTree(d.contentJson()));
            events.add(event);
        }
        long last = messages.isEmpty() ? since : messages.get(messages.size() - 1).streamId();
        return Map.of("events", events, "next_batch", "d" + last);
    }

    private static long since(String nextBatch) {
        if (nextBatch == null) {
            return 0;
        }
        if (!nextBatch.matches("d\\d{1,18}")) {
            throw MatrixException.invalidParam("next_batch is not a token this server gave out");
        }
        return Long.parseLong(nextBatch.substring(1));
    }

    private static Upload parse(JsonNode body, String userId) {
        String deviceId = JsonFields.requiredString(body, "device_id", TextLimits.DEVICE_NAME);
        JsonNode data = JsonFields.optionalObject(body, "device_data");
        if (data == null) {
            throw MatrixException.missingParam("Missing parameter: device_data");
        }
        JsonFields.requiredString(data, "algorithm", TextLimits.DEFAULT);
        JsonNode keys = JsonFields.optionalObject(body, "device_keys");
        if (keys == null) {
            throw MatrixException.missingParam("Missing parameter: device_keys");
        }
        JsonNode oneTime = JsonFields.optionalObject(body, "one_time_keys");
        JsonNode fallback = JsonFields.optionalObject(body, "fallback_keys");
        return new Upload(deviceId, CanonicalJson.encodeToString(data, Mode.STRICT),
                JsonFields.optionalString(body, "initial_device_display_name", TextLimits.DEVICE_NAME),
                DeviceKeys.parse(keys, userId, deviceId),
                oneTime == null ? List.of() : OneTimeKey.parseAll(oneTime, "one_time_keys", false),
                fallback == null ? List.of() : OneTimeKey.parseAll(fallback, "fallback_keys", true));
    }

    private Mono<Void> store(String userId, Upload upload) {
        String deviceId = upload.deviceId();
        List<Mono<?>> writes = new ArrayList<>();
        writes.add(devices.upsert(userId, deviceId, upload.displayName(), null, clock.millis()));
        writes.add(deviceKeys.put(userId, deviceId, CanonicalJson.encodeToString(upload.deviceKeys().json(),
                Mode.STRICT)));
        writes.add(oneTimeKeys.insert(userId, deviceId, upload.oneTimeKeys().stream().map(DehydratedDeviceHandler::key)
                .toList()));
        upload.fallbackKeys().forEach(k -> writes.add(oneTimeKeys.putFallback(userId, deviceId, key(k))));
        writes.add(dehydrated.put(userId, deviceId, upload.deviceData()));
        return Mono.defer(() -> Flux.concat(writes).then());
    }

    private static Key key(OneTimeKey k) {
        return new Key(k.algorithm(), k.keyId(), k.json());
    }
}
