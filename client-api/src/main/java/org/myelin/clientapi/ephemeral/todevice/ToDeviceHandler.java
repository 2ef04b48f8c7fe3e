package org.myelin.clientapi.ephemeral.todevice;

import java.util.LinkedHashMap;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Send-to-device messaging (https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging). */
@Component
public class ToDeviceHandler {

    private final JsonBodies bodies;
    private final ToDeviceService toDevice;

    public ToDeviceHandler(JsonBodies bodies, ToDeviceService toDevice) {
        this.bodies = bodies;
        this.toDevice = toDevice;
    }

    /**
     * PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3sendtodeviceeventtypetxnid).
     * Idempotent per (sender, sending device, txnId). {@code *} addresses all of the recipient's devices; unknown
     * devices receive nothing.
     */
    public Mono<ServerResponse> sendToDevice(ServerRequest request, Requester requester) {
        String type = request.pathVariable("eventType");
        String txnId = request.pathVariable("txnId");
        return bodies.object(request).flatMap(body -> {
            JsonNode byUser = JsonFields.optionalObject(body, "messages");
            if (byUser == null) {
                return Mono.error(MatrixException.missingParam("Missing parameter: messages"));
            }
            return toDevice.send(requester.userId(), requester.deviceId(), type, txnId, messages(byUser));
        }).then(Responses.empty());
    }

    /** {@code messages}, checked: user IDs, then objects of device IDs to content objects. */
    private static Map<String, Map<String, JsonNode>> messages(JsonNode byUser) {
        Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : byUser.properties()) {
            String userId = UserId.parse(user.getKey()).toString();
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("messages." + userId + " must be an object");
            }
            Map<String, JsonNode> byDevice = out.computeIfAbsent(userId, k -> new LinkedHashMap<>());
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                if (!device.getValue().isObject()) {
                    throw MatrixException.badJson("Message content must be an object");
                }
                byDevice.put(device.getKey(), device.getValue());
            }
        }
        return out;
    }
}
