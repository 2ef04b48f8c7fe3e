package org.myelin.db.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Which events are redacted, and by which redaction event ({@code events.redacted_by}). */
public final class RedactionRepository {

    private static final String MARK = """
            UPDATE events SET redacted_by = :redactionId
            WHERE event_id = :targetId AND room_id = :roomId AND redacted_by IS NULL""";
    private static final String REDACTIONS = """
            SELECT e.event_id AS target, r.stream_ordering, r.event_id, r.room_id, r.type, r.state_key, r.sender,
                r.depth, r.topological_ordering, r.origin_server_ts, r.json, r.txn_id, r.sender_device_id
            FROM events e JOIN events r ON r.event_id = e.redacted_by WHERE e.event_id = ANY(:ids)""";

    private final Database db;
    private final EventSearchRepository search;

    public RedactionRepository(Database db) {
        this.db = db;
        this.search = new EventSearchRepository(db);
    }

    /**
     * Marks {@code targetId} (if it is an event of {@code roomId} not redacted yet) as redacted by the redaction,
     * and takes its text out of the search index.
     */
    public Mono<Void> markRedacted(String roomId, String targetId, String redactionId) {
        return db.update(db.sql(MARK).bind("redactionId", redactionId).bind("targetId", targetId)
                .bind("roomId", roomId)).then(search.remove(roomId, targetId));
    }

    /** For each of these events that is redacted, the redaction event that redacted it. */
    public Mono<Map<String, EventRow>> redactionsOf(Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(REDACTIONS).bind("ids", eventIds.toArray(String[]::new)),
                r -> Map.entry(r.string("target"), EventRepository.map(r))).map(rows -> {
                    Map<String, EventRow> byTarget = new HashMap<>();
                    rows.forEach(e -> byTarget.put(e.getKey(), e.getValue()));
                    return byTarget;
                });
    }
}
