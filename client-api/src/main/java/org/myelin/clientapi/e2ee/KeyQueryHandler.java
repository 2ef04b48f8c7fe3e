package org.myelin.clientapi.e2ee;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository.Claim;
import org.myelin.db.e2ee.OneTimeKeyRepository.Claimed;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.KeyQuery;
import org.myelin.ephemeral.e2ee.RemoteKeys;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reading other devices' keys: {@code POST /keys/query}, {@code POST /keys/claim} and {@code GET /keys/changes}.
 * Users of other servers are asked of their servers ({@link RemoteKeys}) within the request's {@code timeout}
 * (10 s by default); a server that could not answer is named in {@code failures}.
 */
@Component
public class KeyQueryHandler {

    /** The most users (query) or devices (claim) one request may name. */
    static final int MAX_ENTRIES = 10_000;
    /** How long other servers are waited for when the request names no {@code timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final JsonBodies bodies;
    private final KeyQuery keys;
    private final OneTimeKeyRepository oneTimeKeys;
    private final DeviceListChanges changes;
    private final LocalServer localServer;
    private final RemoteKeys remoteKeys;
    private final ObjectMapper mapper;

    public KeyQueryHandler(JsonBodies bodies, KeyQuery keys, OneTimeKeyRepository oneTimeKeys,
            DeviceListChanges changes, LocalServer localServer, RemoteKeys remoteKeys, ObjectMapper mapper) {
        this.bodies = bodies;
        this.keys = keys;
        this.oneTimeKeys = oneTimeKeys;
        this.changes = changes;
        this.localServer = localServer;
        this.remoteKeys = remoteKeys;
        this.mapper = mapper;
    }

    /**
     * POST /_matrix/client/v3/keys/query
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery). The user-signing key is only
     * ever returned to its owner.
     */
    public Mono<ServerResponse> query(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            Duration timeout = optionalTimeout(body);
            JsonNode wanted = requiredObject(body, "device_keys");
            Map<String, List<String>> local = new LinkedHashMap<>();
            Map<String, List<String>> remote = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> user : entries(wanted)) {
                String userId = UserId.parse(user.getKey()).toString();
                List<String> devices = stringList(user.getValue(), "device_keys." + userId);
                (localServer.isLocal(userId) ? local : remote).put(userId, devices);
            }
            Mono<ObjectNode> fromOthers = remote.isEmpty() ? Mono.just(mapper.createObjectNode())
                    : remoteKeys.query(remote, timeout);
            return Mono.zip(keys.query(local), fromOthers).flatMap(t -> {
                KeyQuery.Result result = t.getT1();
                ObjectNode out = mapper.createObjectNode();
                out.set("failures", mapper.createObjectNode());
                out.set("device_keys", mapper.valueToTree(result.deviceKeys()));
                putKeys(out, "master_keys", result.crossSigningKeys().get(Usage.MASTER), null);
                putKeys(out, "self_signing_keys", result.crossSigningKeys().get(Usage.SELF_SIGNING), null);
                putKeys(out, "user_signing_keys", result.crossSigningKeys().get(Usage.USER_SIGNING),
                        requester.userId());
                for (String field : List.of("failures", "device_keys", "master_keys", "self_signing_keys")) {
                    merge(t.getT2().path(field), out.withObjectProperty(field));
                }
                return Responses.ok(out);
            });
        });
    }

    /**
     * POST /_matrix/client/v3/keys/claim
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysclaim): one key per device, a
     * one-time key while the device has one, else its fallback key.
     */
    public Mono<ServerResponse> claim(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            Duration timeout = optionalTimeout(body);
            JsonNode wanted = requiredObject(body, "one_time_keys");
            List<Claim> claims = new ArrayList<>();
            Map<String, Map<String, String>> remote = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> user : entries(wanted)) {
                String userId = UserId.parse(user.getKey()).toString();
                if (!user.getValue().isObject()) {
                    throw MatrixException.badJson("one_time_keys." + userId + " must be an object");
                }
                for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                    String algorithm = JsonFields.string(device.getValue(), "one_time_keys." + userId + "."
                            + device.getKey(), TextLimits.DEFAULT);
                    if (localServer.isLocal(userId)) {
                        claims.add(new Claim(userId, device.getKey(), algorithm));
                    } else {
                        remote.computeIfAbsent(userId, u -> new LinkedHashMap<>()).put(device.getKey(), algorithm);
                    }
                }
                if (claims.size() + remote.size() > MAX_ENTRIES) {
                    throw MatrixException.invalidParam("Claim at most " + MAX_ENTRIES + " keys at once");
                }
            }
            Mono<ObjectNode> fromOthers = remote.isEmpty() ? Mono.just(mapper.createObjectNode())
                    : remoteKeys.claim(remote, timeout);
            return Mono.zip(oneTimeKeys.claim(claims), fromOthers).flatMap(t -> {
                ObjectNode out = mapper.createObjectNode();
                ObjectNode byUser = out.putObject("one_time_keys");
                for (Claimed c : t.getT1()) {
                    byUser.withObjectProperty(c.userId()).withObjectProperty(c.deviceId())
                            .set(c.algorithm() + ":" + c.keyId(), mapper.readTree(c.keyJson()));
                }
                merge(t.getT2().path("one_time_keys"), byUser);
                out.set("failures", mapper.createObjectNode());
                merge(t.getT2().path("failures"), out.withObjectProperty("failures"));
                return Responses.ok(out);
            });
        });
    }

    /**
     * GET /_matrix/client/v3/keys/changes
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3keyschanges): {@code from} and {@code to}
     * are sync tokens.
     */
    public Mono<ServerResponse> changes(ServerRequest request, Requester requester) {
        SyncToken from;
        SyncToken to;
        try {
            from = token(request, "from");
            to = token(request, "to");
        } catch (MatrixException e) {
            return Mono.error(e);
        }
        return changes.between(requester.userId(), from.position(DeviceLists.STREAM), to.position(DeviceLists.STREAM),
                from.position(SyncToken.EVENTS), to.position(SyncToken.EVENTS))
                .flatMap(c -> Responses.ok(Map.of("changed", c.changed(), "left", c.left())));
    }

    private static SyncToken token(ServerRequest request, String name) {
        String value = request.queryParam(name).filter(v -> !v.isEmpty())
                .orElseThrow(() -> MatrixException.missingParam("Missing parameter: " + name));
        return SyncToken.parse(value);
    }

    private void putKeys(ObjectNode out, String field, Map<String, ObjectNode> byUser, String onlyFor) {
        ObjectNode keysNode = out.putObject(field);
        if (byUser != null) {
            byUser.forEach((user, key) -> {
                if (onlyFor == null || onlyFor.equals(user)) {
                    keysNode.set(user, key);
                }
            });
        }
    }

    /** Copies the properties of {@code from} (other servers' answers, by user or server) into {@code into}. */
    private static void merge(JsonNode from, ObjectNode into) {
        if (from.isObject()) {
            from.properties().forEach(e -> into.set(e.getKey(), e.getValue()));
        }
    }

    private static Duration optionalTimeout(JsonNode body) {
        JsonNode timeout = body.get("timeout");
        if (timeout == null || timeout.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        if (!timeout.isIntegralNumber()) {
            throw MatrixException.badJson("timeout must be an integer");
        }
        return Duration.ofMillis(Math.max(0, Math.min(timeout.asLong(), Duration.ofMinutes(1).toMillis())));
    }

    private static JsonNode requiredObject(JsonNode body, String field) {
        JsonNode value = JsonFields.optionalObject(body, field);
        if (value == null) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        return value;
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        object.properties().forEach(out::add);
        if (out.size() > MAX_ENTRIES) {
            throw MatrixException.invalidParam("Name at most " + MAX_ENTRIES + " users at once");
        }
        return out;
    }

    private static List<String> stringList(JsonNode value, String what) {
        if (!value.isArray()) {
            throw MatrixException.badJson(what + " must be an array of device IDs");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : value) {
            if (!id.isString()) {
                throw MatrixException.badJson(what + " must be an array of device IDs");
            }
            out.add(id.stringValue());
        }
        return out;
    }
}
