package org.myelin.db.federation;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * The outgoing side's bookkeeping per destination server ({@code federation_destinations}): every server with a
 * member joined to a room here, how far this server's events have been delivered to it, its backoff, and the
 * lease that lets one node at a time send to it.
 */
public final class DestinationRepository {

    private static final String SERVER_OF = "substring(m.user_id from position(':' in m.user_id) + 1)";
    private static final String DISCOVER = """
            INSERT INTO federation_destinations (destination, last_sent_stream)
            SELECT %s, MIN(m.stream_ordering) FROM room_memberships m
            WHERE m.membership = 'join' AND %s <> :self
            GROUP BY %s
            ON CONFLICT (destination) DO NOTHING""".formatted(SERVER_OF, SERVER_OF, SERVER_OF);
    private static final String DUE = """
            SELECT destination FROM federation_destinations WHERE retry_after_ts <= :now
            AND (lease_until_ts < :now OR lease_owner = :node) ORDER BY destination""";
    private static final String LEASE = """
            UPDATE federation_destinations SET lease_owner = :node, lease_until_ts = :until, txn_counter = txn_counter + 1
            WHERE destination = :destination AND retry_after_ts <= :now AND (lease_until_ts < :now OR lease_owner = :node)
            RETURNING last_sent_stream, txn_counter""";
    private static final String PENDING = """
            SELECT e.stream_ordering, e.json FROM events e
            WHERE e.stream_ordering > :after
              AND substring(e.sender from position(':' in e.sender) + 1) = :self
              AND NOT e.outlier AND e.rejected_reason IS NULL AND NOT e.soft_failed
              AND (EXISTS (SELECT 1 FROM room_memberships m WHERE m.room_id = e.room_id AND m.membership = 'join'
                           AND %s = :destination AND m.stream_ordering < e.stream_ordering)
                   OR (e.type = 'm.room.member' AND substring(e.state_key from position(':' in e.state_key) + 1)
                       = :destination))
            ORDER BY e.stream_ordering LIMIT :limit""".formatted(SERVER_OF);
    private static final String DELIVERED = """
            UPDATE federation_destinations SET last_sent_stream = GREATEST(last_sent_stream, :stream), failures = 0,
                retry_after_ts = 0 WHERE destination = :destination AND lease_owner = :node""";
    private static final String FAILED = """
            UPDATE federation_destinations SET failures = failures + 1, lease_until_ts = 0,
                retry_after_ts = :now + LEAST(:max, :base * power(2, LEAST(failures, 30)))::BIGINT
            WHERE destination = :destination AND lease_owner = :node RETURNING failures""";
    private static final String ENQUEUE_FOR_ROOM = """
            INSERT INTO federation_outbound_edus (destination, edu_type, content, created_ts)
            SELECT DISTINCT %s, :type, :content, :now FROM room_memberships m
            WHERE m.room_id = :room AND m.membership = 'join' AND %s <> :self""".formatted(SERVER_OF, SERVER_OF);
    private static final String ENQUEUE_FOR_SERVERS_OF = """
            INSERT INTO federation_outbound_edus (destination, edu_type, content, created_ts)
            SELECT DISTINCT %s, :type, :content, :now FROM room_memberships u
            JOIN room_memberships m ON m.room_id = u.room_id AND m.membership = 'join'
            WHERE u.user_id = :userId AND u.membership = 'join' AND %s <> :self""".formatted(SERVER_OF, SERVER_OF);
    /* A server that shares no room (to-device) becomes a destination from the current events position on. */
    private static final String ADD_DESTINATION = """
            INSERT INTO federation_destinations (destination, last_sent_stream)
            SELECT :destination, COALESCE(MAX(stream_ordering), 0) FROM events
            ON CONFLICT (destination) DO NOTHING""";
    private static final String ENQUEUE = """
            INSERT INTO federation_outbound_edus (destination, edu_type, content, created_ts)
            VALUES (:destination, :type, :content, :now)""";
    private static final String PENDING_EDUS = """
            SELECT id, edu_type, content FROM federation_outbound_edus WHERE destination = :destination
            ORDER BY id LIMIT :limit""";
    private static final String DELETE_EDUS = """
            DELETE FROM federation_outbound_edus WHERE destination = :destination AND id <= :max""";
    private static final String RELEASE = """
            UPDATE federation_destinations SET lease_until_ts = 0 WHERE destination = :destination AND lease_owner = :node""";

    /** A lease on a destination: where delivery stands and the number for the next transaction. */
    public record Lease(long lastSentStream, long txnCounter) {
    }

    /** One EDU to send: its queue position, type and content (JSON). */
    public record PendingEdu(long id, String type, String content) {
    }

    /** One event to send: its stream position here and its JSON. */
    public record PendingEvent(long streamOrdering, String json) {
    }

    private final Database db;

    public DestinationRepository(Database db) {
        this.db = db;
    }

    /** Adds every server with joined members that is not a destination yet, from its first join on. */
    public Mono<Long> discover(String self) {
        return db.update(db.sql(DISCOVER).bind("self", self));
    }

    /** Destinations not in backoff whose lease is free or this node's. */
    public Mono<List<String>> due(String node, long nowMs) {
        return db.many(db.sql(DUE).bind("now", nowMs).bind("node", node), row -> row.string("destination"));
    }

    /** Takes (or renews) the lease until {@code untilMs}; empty when another node holds it or it is in backoff. */
    public Mono<Lease> lease(String destination, String node, long nowMs, long untilMs) {
        return db.one(db.sql(LEASE).bind("destination", destination).bind("node", node).bind("now", nowMs)
                .bind("until", untilMs), row -> new Lease(row.longValue("last_sent_stream"), row.longValue("txn_counter")));
    }

    /** This server's events for {@code destination} after stream position {@code after}, oldest first. */
    public Mono<List<PendingEvent>> pending(String destination, String self, long after, int limit) {
        return db.many(db.sql(PENDING).bind("destination", destination).bind("self", self).bind("after", after)
                .bind("limit", limit), row -> new PendingEvent(row.longValue("stream_ordering"), row.string("json")));
    }

    public Mono<Void> delivered(String destination, String node, long stream) {
        return db.update(db.sql(DELIVERED).bind("destination", destination).bind("node", node).bind("stream", stream))
                .then();
    }

    /**
     * Records a failure: the destination is not tried again for {@code baseMs} doubled per failure in a row, at
     * most {@code maxMs}. Answers the failures so far.
     */
    public Mono<Integer> failed(String destination, String node, long nowMs, long baseMs, long maxMs) {
        return db.one(db.sql(FAILED).bind("destination", destination).bind("node", node).bind("now", nowMs)
                .bind("base", baseMs).bind("max", maxMs), row -> row.intValue("failures"));
    }

    /** Queues an EDU for every other server with a member joined to {@code roomId}; how many were queued. */
    public Mono<Long> enqueueForRoom(String roomId, String self, String type, String content, long nowMs) {
        return db.update(db.sql(ENQUEUE_FOR_ROOM).bind("room", roomId).bind("self", self).bind("type", type)
                .bind("content", content).bind("now", nowMs));
    }

    /** Queues an EDU for every other server with a member joined to a room {@code userId} is joined to. */
    public Mono<Long> enqueueForServersOf(String userId, String self, String type, String content, long nowMs) {
        return db.update(db.sql(ENQUEUE_FOR_SERVERS_OF).bind("userId", userId).bind("self", self).bind("type", type)
                .bind("content", content).bind("now", nowMs));
    }

    /** Queues an EDU for {@code destination}, making it a destination first if it shares no room yet. */
    public Mono<Long> enqueue(String destination, String type, String content, long nowMs) {
        return db.update(db.sql(ADD_DESTINATION).bind("destination", destination))
                .then(db.update(db.sql(ENQUEUE).bind("destination", destination).bind("type", type)
                        .bind("content", content).bind("now", nowMs)));
    }

    /** The oldest EDUs queued for {@code destination}. */
    public Mono<List<PendingEdu>> pendingEdus(String destination, int limit) {
        return db.many(db.sql(PENDING_EDUS).bind("destination", destination).bind("limit", limit),
                row -> new PendingEdu(row.longValue("id"), row.string("edu_type"), row.string("content")));
    }

    /** Forgets the EDUs up to {@code maxId}, once a transaction carrying them was accepted. */
    public Mono<Void> edusDelivered(String destination, long maxId) {
        return db.update(db.sql(DELETE_EDUS).bind("destination", destination).bind("max", maxId)).then();
    }

    public Mono<Void> release(String destination, String node) {
        return db.update(db.sql(RELEASE).bind("destination", destination).bind("node", node)).then();
    }
}
