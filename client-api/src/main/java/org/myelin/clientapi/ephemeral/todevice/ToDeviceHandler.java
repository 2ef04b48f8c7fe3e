package org.myelin.clientapi.ephemeral.todevice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.account.LocalUsers;
import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.StreamWriter;
import org.myelin.clientapi.http.JsonBodies;
import org.myelin.clientapi.http.JsonFields;
import org.myelin.clientapi.http.Responses;
import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.ToDeviceRepository.Message;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Send-to-device messaging (https://spec.matrix.org/v1.19/client-server-api/#send-to-device-messaging). */
@Component
public class ToDeviceHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceHandler.class);
    private static final String ALL_DEVICES = "*";
    /** Distinct recipients resolved at once; bounds the device lookups of one request. */
    private static final int LOOKUP_CONCURRENCY = 4;

    private final JsonBodies bodies;
    private final StreamWriter writer;
    private final ToDeviceRepository messages;
    private final LocalUsers localUsers;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ToDeviceHandler(JsonBodies bodies, StreamWriter writer, ToDeviceRepository messages,
            LocalUsers localUsers, ObjectMapper mapper, Clock clock) {
        this.bodies = bodies;
        this.writer = writer;
        this.messages = messages;
        this.localUsers = localUsers;
        this.mapper = mapper;
        this.clock = clock;
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
            return Flux.fromIterable(byUser.properties())
                    .flatMapSequential(e -> resolve(e.getKey(), e.getValue()), LOOKUP_CONCURRENCY)
                    .flatMapIterable(list -> list).collectList()
                    .flatMap(resolved -> store(requester, type, txnId, resolved));
        }).then(Responses.empty());
    }

    private Mono<List<Message>> resolve(String userIdText, JsonNode byDevice) {
        String userId = UserId.parse(userIdText).toString();
        if (!byDevice.isObject()) {
            return Mono.error(MatrixException.badJson("messages." + userId + " must be an object"));
        }
        for (Map.Entry<String, JsonNode> e : byDevice.properties()) {
            if (!e.getValue().isObject()) {
                return Mono.error(MatrixException.badJson("Message content must be an object"));
            }
        }
        if (!userId.endsWith(":" + localUsers.serverName())) {
            LOG.info("Dropping {} to-device message(s) for remote user {}: federation is not available yet",
                    byDevice.size(), userId);
            return Mono.just(List.of());
        }
        return messages.devices(userId).map(devices -> {
            List<Message> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : byDevice.properties()) {
                String json = mapper.writeValueAsString(e.getValue());
                if (ALL_DEVICES.equals(e.getKey())) {
                    devices.forEach(d -> out.add(new Message(userId, d, json)));
                } else if (devices.contains(e.getKey())) {
                    out.add(new Message(userId, e.getKey(), json));
                }
            }
            return out;
        });
    }

    private Mono<Long> store(Requester requester, String type, String txnId, List<Message> resolved) {
        String device = requester.deviceId() == null ? "" : requester.deviceId();
        List<Message> unique = resolved.stream().distinct().toList();
        return writer.write(ToDeviceSource.STREAM, Math.max(1, unique.size()), position -> messages
                .recordTransaction(requester.userId(), device, txnId, clock.millis())
                .flatMap(fresh -> !fresh || unique.isEmpty() ? Mono.just(List.<String>of())
                        : messages.insert(requester.userId(), type, unique, position)
                                .thenReturn(unique.stream().map(Message::userId).distinct().toList())));
    }
}
