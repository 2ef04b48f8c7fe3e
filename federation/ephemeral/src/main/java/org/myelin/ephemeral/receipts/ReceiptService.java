package org.myelin.ephemeral.receipts;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.myelin.db.ephemeral.ReceiptRepository;
import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.ephemeral.LocalServer;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Stores receipts ({@code m.read}, {@code m.read.private}) on the "receipts" stream. */
@Component
public class ReceiptService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "receipts";
    /** The receipt type other users (and servers) see; {@code m.read.private} stays on this server. */
    static final String PUBLIC = "m.read";

    private final StreamWriter writer;
    private final ReceiptRepository receipts;
    private final LocalServer localServer;
    private final OutboundEdus outbound;

    public ReceiptService(StreamWriter writer, ReceiptRepository receipts, LocalServer localServer,
            OutboundEdus outbound) {
        this.writer = writer;
        this.receipts = receipts;
        this.localServer = localServer;
        this.outbound = outbound;
    }

    /**
     * Stores the receipt, replacing the user's earlier one of that type and thread in the room; wakes the room's
     * syncs only when it changed something. A local user's public receipt ({@code m.read}) that changed
     * something also goes to the other servers in the room as an {@code m.receipt} EDU.
     */
    public Mono<Void> put(Receipt receipt) {
        AtomicBoolean changed = new AtomicBoolean();
        return writer.write(STREAM, 1, position -> receipts.put(receipt, position).map(didChange -> {
            changed.set(didChange);
            return didChange ? List.of(receipt.roomId()) : List.<String>of();
        })).then(Mono.defer(() -> changed.get() && PUBLIC.equals(receipt.receiptType())
                && localServer.isLocal(receipt.userId())
                ? outbound.toRoom(receipt.roomId(), "m.receipt", edu(receipt)) : Mono.empty()));
    }

    /** {@code {room: {m.read: {user: {event_ids: [id], data: {ts, thread_id?}}}}}}, the EDU's content. */
    private static ObjectNode edu(Receipt receipt) {
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        ObjectNode user = content.putObject(receipt.roomId()).putObject(receipt.receiptType())
                .putObject(receipt.userId());
        user.putArray("event_ids").add(receipt.eventId());
        ObjectNode data = user.putObject("data").put("ts", receipt.ts());
        if (!receipt.threadId().isEmpty()) {
            data.put("thread_id", receipt.threadId());
        }
        return content;
    }
}
