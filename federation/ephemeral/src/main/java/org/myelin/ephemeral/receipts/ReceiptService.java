package org.myelin.ephemeral.receipts;

import java.util.List;

import org.myelin.db.ephemeral.ReceiptRepository;
import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.ephemeral.StreamWriter;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Stores receipts ({@code m.read}, {@code m.read.private}) on the "receipts" stream. */
@Component
public class ReceiptService {

    /** The stream's name in sync tokens and wake-ups. */
    public static final String STREAM = "receipts";

    private final StreamWriter writer;
    private final ReceiptRepository receipts;

    public ReceiptService(StreamWriter writer, ReceiptRepository receipts) {
        this.writer = writer;
        this.receipts = receipts;
    }

    /**
     * Stores the receipt, replacing the user's earlier one of that type and thread in the room; wakes the room's
     * syncs only when it changed something.
     */
    public Mono<Void> put(Receipt receipt) {
        return writer.write(STREAM, 1, position -> receipts.put(receipt, position)
                .map(changed -> changed ? List.of(receipt.roomId()) : List.<String>of())).then();
    }
}
