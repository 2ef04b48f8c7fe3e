package org.myelin.clientapi.ephemeral.todevice;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.ToDeviceRepository;
import org.myelin.db.ephemeral.ToDeviceRepository.Delivery;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.todevice.ToDeviceService;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "to_device" stream: the requesting device's messages in {@code (since, upTo]}. A sync with {@code since}
 * acknowledges everything up to {@code since}, which is deleted first; so a message is delivered until the client
 * has seen a response containing it and come back with that response's token. At most {@value #LIMIT} messages
 * go into one response (Synapse's limit); the token then stops at the last of them and the next sync carries on.
 * Messages from users the recipient ignores are not shown, and go with the rest once acknowledged.
 */
@Component
public class ToDeviceSource implements SyncStreamSource {

    /** The most to-device messages one sync response delivers. */
    static final int LIMIT = 100;

    private final StreamWriter writer;
    private final ToDeviceRepository messages;
    private final ObjectMapper mapper;

    public ToDeviceSource(StreamWriter writer, ToDeviceRepository messages, ObjectMapper mapper) {
        this.writer = writer;
        this.messages = messages;
        this.mapper = mapper;
    }

    @Override
    public String name() {
        return ToDeviceService.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(ToDeviceService.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        return deliver(request, since, upTo, LIMIT, out);
    }

    /**
     * As {@link #contribute}, with at most {@code limit} messages (at most {@value #LIMIT}; sliding sync's
     * to-device extension names its own limit).
     */
    public Mono<Void> deliver(SyncRequest request, long since, long upTo, int limit, SyncResponseBuilder out) {
        int max = Math.min(limit, LIMIT);
        String device = request.deviceId();
        if (device == null) {
            return Mono.empty();
        }
        Mono<Long> acknowledged = since > 0 ? messages.acknowledge(request.userId(), device, since) : Mono.just(0L);
        return acknowledged.then(messages.pending(request.userId(), device, since, upTo, max)).doOnNext(list -> {
            if (list.size() == max) {
                out.holdBack(ToDeviceService.STREAM, list.get(max - 1).streamId());
            }
            for (Delivery d : list) {
                if (request.ignored().contains(d.sender())) {
                    continue;
                }
                ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", d.type())
                        .put("sender", d.sender());
                event.set("content", mapper.readTree(d.contentJson()));
                out.addToDevice(event);
            }
        }).then();
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return ToDeviceService.STREAM.equals(position.stream()) && request.userId().equals(position.scope());
    }
}
