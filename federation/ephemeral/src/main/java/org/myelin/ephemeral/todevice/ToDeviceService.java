package org.myelin.ephemeral.todevice;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.ToDeviceRepository.Message;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.StreamWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Stores send-to-device messages for local devices on the "to_device" stream, once per (sender, sending device,
 * transaction ID). {@link #ALL_DEVICES} addresses all of a recipient's devices; unknown devices receive nothing.
 */
@Component
public class ToDeviceService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "to_device";
    /** The device ID that addresses all of the recipient's devices. */
    public static final String ALL_DEVICES = "*";

    private static final Logger LOG = LoggerFactory.getLogger(ToDeviceService.class);
    /** Distinct recipients resolved at once; bounds the device lookups of one send. */
    private static final int LOOKUP_CONCURRENCY = 4;

    private final StreamWriter writer;
    private final ToDeviceRepository messages;
    private final LocalServer localServer;
    private final ObjectMapper mapper;
    private final Clock clock;

    public ToDeviceService(StreamWriter writer, ToDeviceRepository messages, LocalServer localServer,
            ObjectMapper mapper, Clock clock) {
        this.writer = writer;
        this.messages = messages;
        this.localServer = localServer;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Sends messages of {@code type}: {@code byUser} maps recipient user IDs (parsed) to device IDs (or
     * {@link #ALL_DEVICES}) to contents (JSON objects). Idempotent per ({@code senderId}, {@code senderDeviceId},
     * {@code txnId}); {@code senderDeviceId} may be null. Messages for other servers' users are dropped.
     */
    public Mono<Void> send(String senderId, String senderDeviceId, String type, String txnId,
            Map<String, Map<String, JsonNode>> byUser) {
        return Flux.fromIterable(byUser.entrySet())
                .flatMapSequential(e -> resolve(e.getKey(), e.getValue()), LOOKUP_CONCURRENCY)
                .flatMapIterable(list -> list).collectList()
                .flatMap(resolved -> store(senderId, senderDeviceId == null ? "" : senderDeviceId, type, txnId,
                        resolved))
                .then();
    }

    private Mono<List<Message>> resolve(String userId, Map<String, JsonNode> byDevice) {
        if (!localServer.isLocal(userId)) {
            LOG.info("Dropping {} to-device message(s) for remote user {}: federation is not available yet",
                    byDevice.size(), userId);
            return Mono.just(List.of());
        }
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
            List<Message> resolved) {
        List<Message> unique = resolved.stream().distinct().toList();
        return writer.write(STREAM, Math.max(1, unique.size()), position -> messages
                .recordTransaction(senderId, senderDevice, txnId, clock.millis())
                .flatMap(fresh -> !fresh || unique.isEmpty() ? Mono.just(List.<String>of())
                        : messages.insert(senderId, type, unique, position)
                                .thenReturn(unique.stream().map(Message::userId).distinct().toList())));
    }
}
