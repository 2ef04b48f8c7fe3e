package org.myelin.federation.server.e2ee;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.e2ee.DeviceListRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository;
import org.myelin.db.e2ee.OneTimeKeyRepository.Claim;
import org.myelin.db.e2ee.OneTimeKeyRepository.Claimed;
import org.myelin.ephemeral.e2ee.KeyQuery;
import org.myelin.federation.protocol.e2ee.CrossSigningKey.Usage;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.Responses;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What another server may ask of this server's users' keys: {@code GET /user/devices/{userId}},
 * {@code POST /user/keys/query} and {@code POST /user/keys/claim} (server-server API "End-to-End Encryption",
 * "Device Management"). Naming a user of another server is {@code 400} (NOTSPEC: the spec is silent; Synapse answers
 * 400 too), here {@code M_INVALID_PARAM} as for the other queries.
 */
final class UserKeysHandler {

    /** The most users (query) or devices (claim) one request may name, as for the client API. */
    static final int MAX_ENTRIES = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ServerName self;
    private final KeyQuery keys;
    private final DeviceListRepository lists;
    private final OneTimeKeyRepository oneTimeKeys;

    UserKeysHandler(ServerName self, KeyQuery keys, DeviceListRepository lists, OneTimeKeyRepository oneTimeKeys) {
        this.self = self;
        this.keys = keys;
        this.lists = lists;
        this.oneTimeKeys = oneTimeKeys;
    }

    /** GET /_matrix/federation/v1/user/devices/{userId}: every device with keys, and the cross-signing keys. */
    Mono<ServerResponse> devices(ServerRequest request, SignedRequest signed) {
        String userId = local(request.pathVariable("userId"));
        return Mono.zip(keys.query(Map.of(userId, List.of())),
                lists.previousDeviceChange(userId, Long.MAX_VALUE).defaultIfEmpty(0L)).flatMap(t -> {
                    ObjectNode out = JsonNodeFactory.instance.objectNode().put("user_id", userId)
                            .put("stream_id", t.getT2());
                    ArrayNode devices = out.putArray("devices");
                    t.getT1().deviceKeys().get(userId).forEach((deviceId, deviceKeys) -> {
                        ObjectNode device = devices.addObject().put("device_id", deviceId);
                        JsonNode unsigned = deviceKeys.remove("unsigned");
                        if (unsigned != null && unsigned.has("device_display_name")) {
                            device.set("device_display_name", unsigned.get("device_display_name"));
                        }
                        device.set("keys", deviceKeys);
                    });
                    putOne(out, "master_key", t.getT1().crossSigningKeys().get(Usage.MASTER), userId);
                    putOne(out, "self_signing_key", t.getT1().crossSigningKeys().get(Usage.SELF_SIGNING), userId);
                    return Responses.ok(out);
                });
    }

    /** POST /_matrix/federation/v1/user/keys/query: device, master and self-signing keys of local users. */
    Mono<ServerResponse> query(ServerRequest request, SignedRequest signed) {
        JsonNode wanted = requiredObject(signed, "device_keys");
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : entries(wanted)) {
            String userId = local(user.getKey());
            if (!user.getValue().isArray()) {
                throw MatrixException.badJson("device_keys." + userId + " must be an array of device IDs");
            }
            List<String> devices = new ArrayList<>();
            for (JsonNode id : user.getValue()) {
                if (!id.isString()) {
                    throw MatrixException.badJson("device_keys." + userId + " must be an array of device IDs");
                }
                devices.add(id.stringValue());
            }
            users.put(userId, devices);
        }
        return keys.query(users).flatMap(result -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ObjectNode deviceKeys = out.putObject("device_keys");
            result.deviceKeys().forEach((user, byDevice) -> {
                ObjectNode node = deviceKeys.putObject(user);
                byDevice.forEach(node::set);
            });
            putAll(out, "master_keys", result.crossSigningKeys().get(Usage.MASTER));
            putAll(out, "self_signing_keys", result.crossSigningKeys().get(Usage.SELF_SIGNING));
            return Responses.ok(out);
        });
    }

    /** POST /_matrix/federation/v1/user/keys/claim: each one-time key handed out once, else the fallback key. */
    Mono<ServerResponse> claim(ServerRequest request, SignedRequest signed) {
        JsonNode wanted = requiredObject(signed, "one_time_keys");
        List<Claim> claims = new ArrayList<>();
        for (Map.Entry<String, JsonNode> user : entries(wanted)) {
            String userId = local(user.getKey());
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("one_time_keys." + userId + " must be an object");
            }
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                if (!device.getValue().isString()) {
                    throw MatrixException.badJson("one_time_keys." + userId + "." + device.getKey()
                            + " must be an algorithm name");
                }
                claims.add(new Claim(userId, device.getKey(), device.getValue().stringValue()));
            }
            if (claims.size() > MAX_ENTRIES) {
                throw MatrixException.invalidParam("Claim at most " + MAX_ENTRIES + " keys at once");
            }
        }
        return oneTimeKeys.claim(claims).flatMap(claimed -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            ObjectNode byUser = out.putObject("one_time_keys");
            for (Claimed c : claimed) {
                byUser.withObjectProperty(c.userId()).withObjectProperty(c.deviceId())
                        .set(c.algorithm() + ":" + c.keyId(), JSON.readTree(c.keyJson()));
            }
            return Responses.ok(out);
        });
    }

    private String local(String raw) {
        UserId user = UserId.parse(raw);
        if (!user.server().equals(self)) {
            throw MatrixException.invalidParam("User " + user + " is not a user of this server");
        }
        return user.toString();
    }

    private static JsonNode requiredObject(SignedRequest signed, String field) {
        JsonNode body = signed.body().orElseThrow(() -> MatrixException.missingParam("Missing parameter: " + field));
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw MatrixException.missingParam("Missing parameter: " + field);
        }
        if (!value.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
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

    private static void putOne(ObjectNode out, String field, Map<String, ObjectNode> byUser, String userId) {
        if (byUser != null && byUser.containsKey(userId)) {
            out.set(field, byUser.get(userId));
        }
    }

    private static void putAll(ObjectNode out, String field, Map<String, ObjectNode> byUser) {
        ObjectNode node = out.putObject(field);
        if (byUser != null) {
            byUser.forEach(node::set);
        }
    }
}
