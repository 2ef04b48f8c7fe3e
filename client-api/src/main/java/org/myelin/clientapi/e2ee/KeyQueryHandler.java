package org.myelin.clientapi.e2ee;

import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.ephemeral.e2ee.KeyQuery;
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
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
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
 * Users of other servers are answered in {@code failures} under their server's name until federation can ask
 * those servers (the spec's shape for a server that could not be reached).
 */
@Component
public class KeyQueryHandler {

    /** The most users (query) or devices (claim) one request may name. */
    static final int MAX_ENTRIES = 10_000;

    private final JsonBodies bodies;
    private final KeyQuery keys;
    private final OneTimeKeyRepository oneTimeKeys;
    private final DeviceListChanges changes;
    private final LocalServer localServer;
    private final ObjectMapper mapper;

    public KeyQueryHandler(JsonBodies bodies, KeyQuery keys, OneTimeKeyRepository oneTimeKeys,
            DeviceListChanges changes, LocalServer localServer, ObjectMapper mapper) {
        this.bodies = bodies;
        this.keys = keys;
        this.oneTimeKeys = oneTimeKeys;
        this.changes = changes;
        this.localServer = localServer;
        this.mapper = mapper;
    }

    /**
     * POST /_matrix/client/v3/keys/query
     * (https://spec.matrix.org/v1.19/client-server-api/#post_matrixclientv3keysquery). The user-signing key is only
     * ever returned to its owner.
     */
    public Mono<ServerResponse> query(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            optionalTimeout(body);
            JsonNode wanted = requiredObject(body, "device_keys");
            Map<String, List<String>> local = new LinkedHashMap<>();
            ObjectNode failures = mapper.createObjectNode();
            for (Map.Entry<String, JsonNode> user : entries(wanted)) {
                String userId = UserId.parse(user.getKey()).toString();
                List<String> devices = stringList(user.getValue(), "device_keys." + userId);
                if (localServer.isLocal(userId)) {
                    local.put(userId, devices);
                } else {
                    unreachable(failures, userId);
                }
            }
            return keys.query(local).flatMap(result -> {
                ObjectNode out = mapper.createObjectNode();
                out.set("failures", failures);
                out.set("device_keys", mapper.valueToTree(result.deviceKeys()));
                putKeys(out, "master_keys", result.crossSigningKeys().get(Usage.MASTER), null);
                putKeys(out, "self_signing_keys", result.crossSigningKeys().get(Usage.SELF_SIGNING), null);
                putKeys(out, "user_signing_keys", result.crossSigningKeys().get(Usage.USER_SIGNING),
                        requester.userId());
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
            optionalTimeout(body);
            JsonNode wanted = requiredObject(body, "one_time_keys");
            List<Claim> claims = new ArrayList<>();
            ObjectNode failures = mapper.createObjectNode();
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
                        unreachable(failures, userId);
                    }
                }
                if (claims.size() > MAX_ENTRIES) {
                    throw MatrixException.invalidParam("Claim at most " + MAX_ENTRIES + " keys at once");
                }
            }
            return oneTimeKeys.claim(claims).flatMap(claimed -> {
                ObjectNode out = mapper.createObjectNode();
                ObjectNode byUser = out.putObject("one_time_keys");
                for (Claimed c : claimed) {
                    byUser.withObjectProperty(c.userId()).withObjectProperty(c.deviceId())
                            .set(c.algorithm() + ":" + c.keyId(), mapper.readTree(c.keyJson()));
                }
                out.set("failures", failures);
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

    private static void unreachable(ObjectNode failures, String userId) {
        String server = UserId.parse(userId).server().toString();
        failures.putObject(server).put("status", 503).put("message", "Federation is not available yet");
    }

    private static void optionalTimeout(JsonNode body) {
        JsonNode timeout = body.get("timeout");
        if (timeout != null && !timeout.isNull() && !timeout.isIntegralNumber()) {
            throw MatrixException.badJson("timeout must be an integer");
        }
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
