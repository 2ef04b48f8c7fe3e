package org.myelin.db.ephemeral;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Read receipts ({@code receipts}): the latest per (room, receipt type, user, thread). */
public final class ReceiptRepository {

    /**
     * One receipt.
     *
     * @param threadId the thread ({@code main} or a root event ID), or {@code ""} for an unthreaded receipt
     */
    public record Receipt(String roomId, String receiptType, String userId, String threadId, String eventId,
            long ts) {
    }

    /*
     * A receipt never moves back: it replaces the stored one only when its event is not older in the room's
     * stream (events unknown to this server count as newest, as they can only be remote, later ones).
     */
    private static final String UPSERT = """
            INSERT INTO receipts (room_id, receipt_type, user_id, thread_id, event_id, ts, stream_id)
            VALUES (:roomId, :type, :userId, :threadId, :eventId, :ts, :stream)
            ON CONFLICT (room_id, receipt_type, user_id, thread_id) DO UPDATE
                SET event_id = EXCLUDED.event_id, ts = EXCLUDED.ts, stream_id = EXCLUDED.stream_id
            WHERE receipts.event_id <> EXCLUDED.event_id
              AND COALESCE((SELECT stream_ordering FROM events WHERE event_id = EXCLUDED.event_id), 9223372036854775807)
                  >= COALESCE((SELECT stream_ordering FROM events WHERE event_id = receipts.event_id), 0)""";
    private static final String VISIBLE = """
            SELECT room_id, receipt_type, user_id, thread_id, event_id, ts FROM receipts
            WHERE room_id = ANY(:rooms) AND stream_id > :since AND stream_id <= :upTo
              AND (receipt_type <> 'm.read.private' OR user_id = :viewer)
            ORDER BY room_id, stream_id""";

    private final Database db;

    public ReceiptRepository(Database db) {
        this.db = db;
    }

    /** Stores the receipt under {@code position}; emits false when it would move an existing receipt back. */
    public Mono<Boolean> put(Receipt receipt, long position) {
        return db.update(db.sql(UPSERT).bind("roomId", receipt.roomId()).bind("type", receipt.receiptType())
                .bind("userId", receipt.userId()).bind("threadId", receipt.threadId())
                .bind("eventId", receipt.eventId()).bind("ts", receipt.ts()).bind("stream", position))
                .map(n -> n > 0);
    }

    /** Receipts in {@code roomIds} written in {@code (since, upTo]}, private ones only if {@code viewer}'s own. */
    public Mono<List<Receipt>> visible(Collection<String> roomIds, String viewer, long since, long upTo) {
        return db.many(db.sql(VISIBLE).bind("rooms", roomIds.toArray(String[]::new)).bind("since", since)
                .bind("upTo", upTo).bind("viewer", viewer), r -> new Receipt(r.string("room_id"),
                        r.string("receipt_type"), r.string("user_id"), r.string("thread_id"),
                        r.string("event_id"), r.longValue("ts")));
    }
}
