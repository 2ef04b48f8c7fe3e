package org.myelin.clientapi.ephemeral.receipts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.db.ephemeral.ReceiptRepository;
import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.db.notify.StreamPosition;
import org.myelin.ephemeral.StreamWriter;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "receipts" stream: one {@code m.receipt} event per joined room with the receipts written since the last
 * sync (all of them on an initial sync), in the EDU shape {@code {eventId: {type: {userId: {ts, thread_id?}}}}}.
 * {@code m.read.private} receipts appear only to their owner.
 */
@Component
public class ReceiptSource implements SyncStreamSource {

    private final StreamWriter writer;
    private final ReceiptRepository receipts;

    public ReceiptSource(StreamWriter writer, ReceiptRepository receipts) {
        this.writer = writer;
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return ReceiptService.STREAM;
    }

    @Override
    public Mono<Long> currentPosition() {
        return writer.current(ReceiptService.STREAM);
    }

    @Override
    public Mono<Void> contribute(SyncRequest request, long since, long upTo, SyncResponseBuilder out) {
        if (request.joinedRoomIds().isEmpty()) {
            return Mono.empty();
        }
        return receipts.visible(request.joinedRoomIds(), request.userId(), since, upTo)
                .doOnNext(list -> events(list).forEach(out::addRoomEphemeral)).then();
    }

    /** One m.receipt event per room. */
    static Map<String, ObjectNode> events(List<Receipt> receipts) {
        Map<String, ObjectNode> events = new LinkedHashMap<>();
        for (Receipt r : receipts) {
            ObjectNode content = (ObjectNode) events.computeIfAbsent(r.roomId(), k -> {
                ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "m.receipt");
                event.putObject("content");
                return event;
            }).get("content");
            ObjectNode byEvent = content.has(r.eventId()) ? (ObjectNode) content.get(r.eventId())
                    : content.putObject(r.eventId());
            ObjectNode byType = byEvent.has(r.receiptType()) ? (ObjectNode) byEvent.get(r.receiptType())
                    : byEvent.putObject(r.receiptType());
            ObjectNode receipt = byType.putObject(r.userId()).put("ts", r.ts());
            if (!r.threadId().isEmpty()) {
                receipt.put("thread_id", r.threadId());
            }
        }
        return events;
    }

    @Override
    public boolean concerns(StreamPosition position, SyncRequest request) {
        return ReceiptService.STREAM.equals(position.stream())
                && (position.scope() == null || request.joinedRoomIds().contains(position.scope()));
    }
}
