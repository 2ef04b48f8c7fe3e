package org.myelin.federation.server.e2ee;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.myelin.db.e2ee.RemoteDeviceListRepository;
import org.myelin.db.e2ee.RemoteDeviceListRepository.Cached;
import org.myelin.db.e2ee.RemoteDeviceListRepository.Device;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.RemoteKeys;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Other servers' users' keys for the client API: {@code /keys/query} answers a user from the cached device list
 * while it is fresh ({@link InboundDeviceLists}); a user sharing a room with a local user whose copy is stale or
 * missing (a gap an update could not repair, or no shared room for a while) has it re-read first
 * ({@link DeviceListResync}), and if that fails, their server is named in {@code failures} rather than a stale list
 * answered; other users are asked of their server's {@code /user/keys/query};
 * {@code /keys/claim} asks {@code /user/keys/claim}. Servers are asked in parallel, each within the request's
 * timeout; one that fails or times out is named in {@code failures}. Only the users of the server asked are taken
 * from its answer.
 */
public final class FederatedKeys implements RemoteKeys {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServerName self;
    private final RemoteDeviceListRepository cache;
    private final FederationClient client;
    private final DeviceListResync resync;

    public FederatedKeys(ServerName self, RemoteDeviceListRepository cache, DeviceLists deviceLists,
            FederationClient client, Clock clock) {
        this.self = self;
        this.cache = cache;
        this.client = client;
        this.resync = new DeviceListResync(cache, deviceLists, client, clock);
    }

    @Override
    public Mono<ObjectNode> query(Map<String, List<String>> wanted, Duration timeout) {
        return cache.fresh(wanted.keySet(), self.value()).flatMap(fresh -> {
            Set<String> notFresh = new TreeSet<>(wanted.keySet());
            fresh.forEach(c -> notFresh.remove(c.userId()));
            return notFresh.isEmpty() ? answer(wanted, fresh, Map.of(), timeout)
                    : cache.tracked(notFresh, self.value()).flatMap(tracked -> tracked.isEmpty()
                            ? answer(wanted, fresh, Map.of(), timeout)
                            : resyncAll(tracked, timeout).flatMap(failed -> cache.fresh(wanted.keySet(),
                                    self.value()).flatMap(again -> answer(wanted, again, failed, timeout))));
        });
    }

    /**
     * Re-reads, in parallel and each within {@code timeout}, the lists of users who share a room with a local user
     * but whose cached copy is stale or missing; emits why each failed one failed, by user.
     */
    private Mono<Map<String, Answer>> resyncAll(List<String> userIds, Duration timeout) {
        return Flux.fromIterable(userIds).flatMap(user -> resync.resync(ServerName.parse(serverOf(user)), user)
                .timeout(timeout)
                .then(Mono.<Map.Entry<String, Answer>>empty())
                .onErrorResume(error -> Mono.just(Map.entry(user, new Answer(serverOf(user), null, error)))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * The answer: users with a fresh cached list from it, those whose re-read {@code failed} in {@code failures},
     * and the others from their servers' {@code /user/keys/query}.
     */
    private Mono<ObjectNode> answer(Map<String, List<String>> wanted, List<Cached> fresh, Map<String, Answer> failed,
            Duration timeout) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("device_keys");
        out.putObject("master_keys");
        out.putObject("self_signing_keys");
        out.putObject("failures");
        Set<String> cached = new TreeSet<>();
        fresh.forEach(c -> cached.add(c.userId()));
        Mono<List<Device>> devices = cached.isEmpty() ? Mono.just(List.of()) : cache.devices(cached);
        return devices.flatMap(all -> {
            for (Cached c : fresh) {
                List<String> devicesWanted = wanted.get(c.userId());
                ObjectNode byDevice = out.withObjectProperty("device_keys").putObject(c.userId());
                all.stream().filter(d -> d.userId().equals(c.userId()))
                        .filter(d -> devicesWanted.isEmpty() || devicesWanted.contains(d.deviceId()))
                        .forEach(d -> {
                            ObjectNode keys = (ObjectNode) JSON.readTree(d.keyJson());
                            if (d.displayName() != null) {
                                keys.withObjectProperty("unsigned").put("device_display_name", d.displayName());
                            }
                            byDevice.set(d.deviceId(), keys);
                        });
                if (c.masterKey() != null) {
                    out.withObjectProperty("master_keys").set(c.userId(), JSON.readTree(c.masterKey()));
                }
                if (c.selfSigningKey() != null) {
                    out.withObjectProperty("self_signing_keys").set(c.userId(), JSON.readTree(c.selfSigningKey()));
                }
            }
            failed.values().forEach(f -> f.copyInto(out, "device_keys"));
            Map<String, ObjectNode> byServer = new LinkedHashMap<>();
            wanted.forEach((user, deviceIds) -> {
                if (!cached.contains(user) && !failed.containsKey(user)) {
                    byServer.computeIfAbsent(serverOf(user), s -> JsonNodeFactory.instance.objectNode()
                            .putObject("device_keys")).set(user, JSON.valueToTree(deviceIds));
                }
            });
            return askAll(byServer, "query", "device_keys", timeout).map(answers -> {
                answers.forEach(a -> {
                    for (String field : List.of("device_keys", "master_keys", "self_signing_keys")) {
                        a.copyInto(out, field);
                    }
                });
                return out;
            });
        });
    }

    @Override
    public Mono<ObjectNode> claim(Map<String, Map<String, String>> wanted, Duration timeout) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.putObject("one_time_keys");
        out.putObject("failures");
        Map<String, ObjectNode> byServer = new LinkedHashMap<>();
        wanted.forEach((user, devices) -> byServer.computeIfAbsent(serverOf(user),
                s -> JsonNodeFactory.instance.objectNode()).set(user, JSON.valueToTree(devices)));
        return askAll(byServer, "claim", "one_time_keys", timeout).map(answers -> {
            answers.forEach(a -> a.copyInto(out, "one_time_keys"));
            return out;
        });
    }

    /** One server's answer, or why there is none. */
    private record Answer(String server, JsonNode json, Throwable error) {

        /** Copies the answer's users of this server under {@code field}, or names the server in failures. */
        void copyInto(ObjectNode out, String field) {
            if (error != null) {
                int status = error instanceof RemoteServerException r && r.status() > 0 ? r.status() : 503;
                out.withObjectProperty("failures").putObject(server).put("status", status)
                        .put("message", error.getMessage() == null ? error.toString() : error.getMessage());
                return;
            }
            JsonNode answer = json.path(field);
            if (answer.isObject()) {
                answer.properties().forEach(user -> {
                    if (user.getValue().isObject() && serverOf(user.getKey()).equals(server)) {
                        out.withObjectProperty(field).set(user.getKey(), user.getValue());
                    }
                });
            }
        }
    }

    /** Asks each server in parallel, each within {@code timeout}; the answers are merged on one thread after. */
    private Mono<List<Answer>> askAll(Map<String, ObjectNode> byServer, String what, String field, Duration timeout) {
        return Flux.fromIterable(byServer.entrySet()).flatMap(e -> Mono.defer(() -> client.send(
                ServerName.parse(e.getKey()), "POST", "/_matrix/federation/v1/user/keys/" + what,
                JsonNodeFactory.instance.objectNode().set(field, e.getValue())))
                .timeout(timeout)
                .map(json -> new Answer(e.getKey(), json, null))
                .onErrorResume(error -> Mono.just(new Answer(e.getKey(), null, error)))).collectList();
    }

    private static String serverOf(String userId) {
        return userId.substring(userId.indexOf(':') + 1);
    }
}
