package org.myelin.clientapi.account;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.auth.UserInteractiveAuth;
import org.myelin.db.account.DeviceRepository;
import org.myelin.db.account.DeviceRow;
import org.myelin.ephemeral.e2ee.DeviceLists;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.JsonFields;
import org.myelin.http.Responses;
import org.myelin.http.TextLimits;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Device management: list, get, rename, and delete (one or several, behind UIA). */
@Component
public class DeviceHandler {

    private final JsonBodies bodies;
    private final DeviceRepository devices;
    private final AccountHandler accounts;
    private final DeviceRemoval removal;
    private final DeviceLists deviceLists;

    public DeviceHandler(JsonBodies bodies, DeviceRepository devices, AccountHandler accounts,
            DeviceRemoval removal, DeviceLists deviceLists) {
        this.bodies = bodies;
        this.devices = devices;
        this.accounts = accounts;
        this.removal = removal;
        this.deviceLists = deviceLists;
    }

    /** GET /_matrix/client/v3/devices */
    public Mono<ServerResponse> list(ServerRequest request, Requester requester) {
        return devices.list(requester.userId())
                .flatMap(rows -> Responses.ok(Map.of("devices", rows.stream().map(DeviceHandler::toJson).toList())));
    }

    /** GET /_matrix/client/v3/devices/{deviceId} */
    public Mono<ServerResponse> get(ServerRequest request, Requester requester) {
        return devices.find(requester.userId(), request.pathVariable("deviceId"))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Device not found")))
                .flatMap(row -> Responses.ok(toJson(row)));
    }

    /**
     * PUT /_matrix/client/v3/devices/{deviceId} — renames one of the user's devices. The display name is part of
     * what /keys/query returns, so a rename is a device-list change (as in Synapse).
     */
    public Mono<ServerResponse> rename(ServerRequest request, Requester requester) {
        String deviceId = request.pathVariable("deviceId");
        return bodies.object(request).flatMap(body -> {
            String name = JsonFields.optionalString(body, "display_name", TextLimits.DEVICE_NAME);
            return devices.find(requester.userId(), deviceId)
                    .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Device not found")))
                    .flatMap(found -> deviceLists.devicesChanged(requester.userId(), List.of(deviceId),
                            devices.rename(requester.userId(), deviceId, name)));
        }).then(Responses.empty());
    }

    /** DELETE /_matrix/client/v3/devices/{deviceId} — UIA, then the device, its tokens and its keys are gone. */
    public Mono<ServerResponse> delete(ServerRequest request, Requester requester) {
        String deviceId = request.pathVariable("deviceId");
        return bodies.optionalObject(request).flatMap(body -> devices.find(requester.userId(), deviceId)
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Device not found")))
                .flatMap(found -> accounts.reauthenticate(request, body, "delete_device", requester))
                .then(removal.remove(requester.userId(), List.of(deviceId)))
                .then(Responses.empty()));
    }

    /**
     * POST /_matrix/client/v3/delete_devices — UIA, then every listed device is deleted (the list of the session's
     * first request when this one carries only auth).
     */
    public Mono<ServerResponse> deleteMany(ServerRequest request, Requester requester) {
        return bodies.object(request).flatMap(body -> {
            if (!UserInteractiveAuth.continues(body) || body.has("devices")) {
                deviceIds(body);
            }
            return accounts.reauthenticate(request, body, "delete_devices", requester)
                    .flatMap(done -> removal.remove(requester.userId(), deviceIds(done.body())))
                    .then(Responses.empty());
        });
    }

    private static List<String> deviceIds(JsonNode body) {
        JsonNode list = body.get("devices");
        if (list == null || list.isNull()) {
            throw MatrixException.missingParam("Missing parameter: devices");
        }
        if (!list.isArray()) {
            throw MatrixException.badJson("devices must be an array of strings");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : list) {
            if (!id.isString()) {
                throw MatrixException.badJson("devices must be an array of strings");
            }
            ids.add(id.asString());
        }
        return ids;
    }

    private static Map<String, Object> toJson(DeviceRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device_id", row.deviceId());
        if (row.displayName() != null) {
            json.put("display_name", row.displayName());
        }
        if (row.lastSeenIp() != null) {
            json.put("last_seen_ip", row.lastSeenIp());
        }
        if (row.lastSeenTs() != null) {
            json.put("last_seen_ts", row.lastSeenTs());
        }
        return json;
    }
}
