package org.myelin.ephemeral.todevice;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.ToDeviceRepository.Message;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stores send-to-device messages for local devices on the "to_device" stream, once per (sender, sending device,
 * transaction ID). {@link #ALL_DEVICES} addresses all of a recipient's devices; unknown devices receive nothing.
 * Messages for other servers' users leave, in the same transaction, as one {@code m.direct_to_device} EDU per
 * server (server-server API "Send-to-device messaging"), each with a random {@code message_id}.
 */
@Component
public class ToDeviceService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "to_device";
    /** The device ID that addresses all of the recipient's devices. */
    public static final String ALL_DEVICES = "*";

    /** The EDU that carries to-device messages to another server. */
    public static final String EDU_TYPE = "m.direct_to_device";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Distinct recipients resolved at once; bounds the device lookups of one send. */
    private static final int LOOKUP_CONCURRENCY = 4;

    private final StreamWriter writer;
    private final ToDeviceRepository messages;
    private final LocalServer localServer;
    private final OutboundEdus outbound;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ToDeviceService(StreamWriter writer, ToDeviceRepository messages, LocalServer localServer,
            OutboundEdus outbound, ObjectMapper mapper, Clock clock) {
        this.writer = writer;
        this.messages = messages;
        this.localServer = localServer;
        this.outbound = outbound;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Sends messages of {@code type}: {@code byUser} maps recipient user IDs (parsed) to device IDs (or
     * {@link #ALL_DEVICES}) to contents (JSON objects). Idempotent per ({@code senderId}, {@code senderDeviceId},
     * {@code txnId}); {@code senderDeviceId} may be null. Messages for other servers' users are queued for their
     * servers.
     */
    public Mono<Void> send(String senderId, String senderDeviceId, String type, String txnId,
            Map<String, Map<String, JsonNode>> byUser) {
        Map<String, ObjectNode> remote = new LinkedHashMap<>();
        byUser.forEach((userId, byDevice) -> {
            if (!localServer.isLocal(userId)) {
                String server = userId.substring(userId.indexOf(':') + 1);
                ObjectNode messagesNode = remote.computeIfAbsent(server, s -> edu(senderId, type))
                        .withObjectProperty("messages");
                byDevice.forEach((device, content) -> messagesNode.withObjectProperty(userId).set(device, content));
            }
        });
        return Flux.fromIterable(byUser.entrySet()).filter(e -> localServer.isLocal(e.getKey()))
                .flatMapSequential(e -> resolve(e.getKey(), e.getValue()), LOOKUP_CONCURRENCY)
                .flatMapIterable(list -> list).collectList()
                .flatMap(resolved -> store(senderId, senderDeviceId == null ? "" : senderDeviceId, type, txnId,
                        resolved, remote))
                .then();
    }

    private ObjectNode edu(String senderId, String type) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        ObjectNode content = mapper.createObjectNode().put("sender", senderId).put("type", type)
                .put("message_id", Base64.getUrlEncoder().withoutPadding().encodeToString(id));
        content.putObject("messages");
        return content;
    }

    private Mono<List<Message>> resolve(String userId, Map<String, JsonNode> byDevice) {
        return messages.devices(userId).map(devices -> {
            List<Message> out = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : byDevice.entrySet()) {
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

    private Mono<Long> store(String senderId, String senderDevice, String type, String txnId,
            List<Message> resolved, Map<String, ObjectNode> remote) {
        List<Message> unique = resolved.stream().distinct().toList();
        return writer.write(STREAM, Math.max(1, unique.size()), position -> messages
                .recordTransaction(senderId, senderDevice, txnId, clock.millis())
                .flatMap(fresh -> !fresh ? Mono.just(List.<String>of())
                        : Flux.fromIterable(remote.entrySet())
                                .concatMap(e -> outbound.toServer(e.getKey(), EDU_TYPE, e.getValue()))
                                .then(unique.isEmpty() ? Mono.just(List.<String>of())
                                        : messages.insert(senderId, type, unique, position)
                                                .thenReturn(unique.stream().map(Message::userId).distinct()
                                                        .toList()))));
    }
}
