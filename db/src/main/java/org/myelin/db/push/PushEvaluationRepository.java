package org.myelin.db.push;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * What push rule evaluation reads and writes ({@code push_evaluation}, {@code event_push_actions},
 * {@code push_deliveries}, {@code push_sent_reads}): where it stands on the events stream under a lease, the
 * events after that, the facts about their rooms, and each batch's results with a compare-and-set of its position,
 * so that however many nodes run it every event is evaluated once.
 */
public final class PushEvaluationRepository {

    /** An event to evaluate: its position, IDs, sender, JSON and its relation. */
    public record PendingEvent(long streamOrdering, String eventId, String roomId, String sender, String json,
            String relatesToId, String relationType) {
    }

    /** A batch of events and the events position it reaches (past events that are not evaluated). */
    public record Batch(List<PendingEvent> events, long upTo) {
    }

    /** A joined local member and their display name in the room (null without one). */
    public record Member(String userId, String displayName) {
    }

    /** One notification to store: the user, the event, its thread and the matching rule's actions. */
    public record Notification(String userId, String eventId, String roomId, long streamOrdering, String threadId,
            String actionsJson, boolean highlight) {
    }

    /** The latest event a local user sent in a room's thread, which reads that thread up to it. */
    public record SentRead(String userId, String roomId, String threadId, long streamOrdering) {
    }

    private static final String SERVER_OF = "substring(m.user_id from position(':' in m.user_id) + 1)";
    private static final String LEASE = """
            UPDATE push_evaluation SET lease_owner = :node, lease_until_ts = :until
            WHERE id = 1 AND (lease_until_ts < :now OR lease_owner = :node) RETURNING processed_stream""";
    private static final String RELEASE = """
            UPDATE push_evaluation SET lease_until_ts = 0 WHERE id = 1 AND lease_owner = :node""";
    /**
     * Read in a statement of its own, before the events: an event that commits while one statement runs is outside
     * that statement's snapshot, yet the position the function computes inside it already counts it (the function's
     * own statements see it), so evaluation would move past an event it never read.
     */
    private static final String POSITION = "SELECT myelin_events_position() AS up_to";
    private static final String PENDING = """
            SELECT e.stream_ordering, e.event_id, e.room_id, e.sender, e.json, e.relates_to_id, e.relation_type
            FROM events e WHERE e.stream_ordering > :after AND e.stream_ordering <= :upTo
              AND NOT e.outlier AND e.rejected_reason IS NULL AND NOT e.soft_failed
            ORDER BY e.stream_ordering LIMIT :limit""";
    private static final String ADVANCE = """
            UPDATE push_evaluation SET processed_stream = :to
            WHERE id = 1 AND processed_stream = :from AND lease_owner = :node""";
    private static final String MEMBERS = """
            SELECT m.user_id, (e.json::jsonb) -> 'content' ->> 'displayname' AS displayname
            FROM room_memberships m JOIN events e ON e.event_id = m.event_id
            WHERE m.room_id = :room AND m.membership = 'join' AND %s = :self""".formatted(SERVER_OF);
    private static final String JOINED_COUNT = """
            SELECT COUNT(*) AS joined FROM room_memberships WHERE room_id = :room AND membership = 'join'""";
    private static final String ROOM_STATE = """
            SELECT r.room_version, cs.type, e.json FROM rooms r
            LEFT JOIN current_state cs ON cs.room_id = r.room_id AND cs.state_key = ''
                 AND cs.type IN ('m.room.create', 'm.room.power_levels', 'm.room.name', 'm.room.canonical_alias')
            LEFT JOIN events e ON e.event_id = cs.event_id
            WHERE r.room_id = :room""";
    private static final String THREAD_OF = """
            SELECT relates_to_id FROM events WHERE event_id = :eventId AND relation_type = 'm.thread'""";
    private static final String IGNORING = """
            SELECT user_id FROM account_data WHERE room_id = '' AND type = 'm.ignored_user_list'
            AND user_id = ANY(:users) AND content -> 'ignored_users' -> :sender IS NOT NULL""";
    private static final String CAUGHT_UP = """
            SELECT processed_stream >= myelin_events_position() AS caught_up FROM push_evaluation WHERE id = 1""";
    /** One index probe per room for an accepted event past evaluation's position within the window. */
    private static final String ROOMS_CAUGHT_UP = """
            SELECT NOT EXISTS (SELECT 1 FROM push_evaluation p CROSS JOIN unnest(:rooms::text[]) AS r(room_id)
                WHERE p.id = 1 AND EXISTS (SELECT 1 FROM events e WHERE e.room_id = r.room_id
                    AND e.stream_ordering > GREATEST(p.processed_stream, :since) AND e.stream_ordering <= :upTo
                    AND NOT e.outlier AND e.rejected_reason IS NULL AND NOT e.soft_failed)) AS caught_up""";
    private static final String RULE_CHANGES = """
            SELECT user_id, stream_id FROM account_data
            WHERE type = 'm.push_rules' AND room_id = '' AND stream_id > :after""";
    private static final String INSERT_NOTIFICATIONS = """
            INSERT INTO event_push_actions (user_id, event_id, room_id, stream_ordering, thread_id, actions, highlight,
                ts, notification_stream)
            SELECT n.user_id, n.event_id, n.room_id, n.stream_ordering, n.thread_id, CAST(n.actions AS JSONB),
                   n.highlight, :ts, :stream
            FROM unnest(CAST(:users AS TEXT[]), CAST(:events AS TEXT[]), CAST(:rooms AS TEXT[]),
                        CAST(:orderings AS BIGINT[]), CAST(:threads AS TEXT[]), CAST(:actions AS TEXT[]),
                        CAST(:highlights AS BOOLEAN[]))
                 AS n(user_id, event_id, room_id, stream_ordering, thread_id, actions, highlight)
            ON CONFLICT (user_id, event_id) DO NOTHING""";
    private static final String INSERT_DELIVERIES = """
            INSERT INTO push_deliveries (pusher_id, user_id, event_id, created_ts)
            SELECT p.id, n.user_id, n.event_id, :ts
            FROM unnest(CAST(:users AS TEXT[]), CAST(:events AS TEXT[])) AS n(user_id, event_id)
            JOIN pushers p ON p.user_id = n.user_id""";
    private static final String SENT_READS = """
            INSERT INTO push_sent_reads (user_id, room_id, thread_id, stream_ordering, notification_stream)
            SELECT n.*, :stream FROM unnest(CAST(:users AS TEXT[]), CAST(:rooms AS TEXT[]), CAST(:threads AS TEXT[]),
                                 CAST(:orderings AS BIGINT[])) AS n
            ON CONFLICT (user_id, room_id, thread_id) DO UPDATE
                SET stream_ordering = GREATEST(push_sent_reads.stream_ordering, EXCLUDED.stream_ordering),
                    notification_stream = EXCLUDED.notification_stream""";

    private final Database db;

    public PushEvaluationRepository(Database db) {
        this.db = db;
    }

    /** Takes (or renews) the evaluation lease until {@code untilMs}; emits where evaluation stands, or nothing. */
    public Mono<Long> lease(String node, long nowMs, long untilMs) {
        return db.one(db.sql(LEASE).bind("node", node).bind("now", nowMs).bind("until", untilMs),
                row -> row.longValue("processed_stream"));
    }

    /** Gives the lease up, so another node may take it at once. */
    public Mono<Void> release(String node) {
        return db.update(db.sql(RELEASE).bind("node", node)).then();
    }

    /** Up to {@code limit} accepted, non-outlier events after {@code after}, no further than the events position. */
    public Mono<Batch> pending(long after, int limit) {
        return db.one(db.sql(POSITION), row -> row.longValue("up_to")).flatMap(upTo -> db.many(db.sql(PENDING)
                .bind("after", after).bind("upTo", upTo).bind("limit", limit), row -> new PendingEvent(
                        row.longValue("stream_ordering"), row.string("event_id"), row.string("room_id"),
                        row.string("sender"), row.string("json"), row.string("relates_to_id"),
                        row.string("relation_type")))
                .map(events -> new Batch(events, events.size() == limit
                        ? events.get(events.size() - 1).streamOrdering() : Math.max(after, upTo))));
    }

    /** The room's local joined members (users of {@code self}) with their display names. */
    public Mono<List<Member>> localMembers(String roomId, String self) {
        return db.many(db.sql(MEMBERS).bind("room", roomId).bind("self", self),
                row -> new Member(row.string("user_id"), row.string("displayname")));
    }

    /** How many members are joined to the room. */
    public Mono<Long> joinedCount(String roomId) {
        return db.one(db.sql(JOINED_COUNT).bind("room", roomId), row -> row.longValue("joined")).defaultIfEmpty(0L);
    }

    /** The room's version and the JSON of its current create, power levels, name and canonical alias events. */
    public Mono<RoomState> roomState(String roomId) {
        return db.many(db.sql(ROOM_STATE).bind("room", roomId),
                row -> new String[] {row.string("room_version"), row.string("type"), row.string("json")})
                .map(rows -> {
                    String version = rows.isEmpty() ? null : rows.get(0)[0];
                    Map<String, String> state = new HashMap<>();
                    rows.stream().filter(r -> r[1] != null && r[2] != null).forEach(r -> state.put(r[1], r[2]));
                    return new RoomState(version, state);
                });
    }

    /** A room's version and some of its current state events' JSON by type. */
    public record RoomState(String roomVersion, Map<String, String> eventsByType) {
    }

    /** The thread root {@code eventId} is in when it is itself a thread event, else nothing. */
    public Mono<String> threadOf(String eventId) {
        return db.one(db.sql(THREAD_OF).bind("eventId", eventId), row -> row.string("relates_to_id"));
    }

    /** Whether evaluation has reached the events position (every event a sync may now return is evaluated). */
    public Mono<Boolean> caughtUp() {
        return db.one(db.sql(CAUGHT_UP), row -> row.bool("caught_up")).defaultIfEmpty(true);
    }

    /** Whether evaluation has reached every accepted event of {@code roomIds} in {@code (since, upTo]}. */
    public Mono<Boolean> caughtUp(Collection<String> roomIds, long since, long upTo) {
        if (roomIds.isEmpty() || upTo <= since) {
            return Mono.just(true);
        }
        return db.one(db.sql(ROOMS_CAUGHT_UP).bind("rooms", roomIds.toArray(String[]::new)).bind("since", since)
                .bind("upTo", upTo), row -> row.bool("caught_up")).defaultIfEmpty(true);
    }

    /** A user whose push rules changed, and the account data position of the change. */
    public record RuleChange(String userId, long streamId) {
    }

    /** The users whose push rules changed after account data position {@code after}. */
    public Mono<List<RuleChange>> ruleChanges(long after) {
        return db.many(db.sql(RULE_CHANGES).bind("after", after),
                row -> new RuleChange(row.string("user_id"), row.longValue("stream_id")));
    }

    /** Those of {@code users} whose ignore list names {@code sender}. */
    public Mono<Set<String>> ignoring(List<String> users, String sender) {
        if (users.isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.many(db.sql(IGNORING).bind("users", users.toArray(String[]::new)).bind("sender", sender),
                row -> row.string("user_id")).map(HashSet::new);
    }

    /**
     * Moves evaluation from {@code from} to {@code to}, if it still stands at {@code from} under this node's lease;
     * emits whether it did. Call first in the batch's transaction, and roll back when it did not.
     */
    public Mono<Boolean> advance(String node, long from, long to) {
        return db.update(db.sql(ADVANCE).bind("node", node).bind("from", from).bind("to", to)).map(n -> n == 1);
    }

    /** Stores notifications under {@code notificationStream} and queues a delivery to each of their users' pushers. */
    public Mono<Void> store(List<Notification> notifications, long notificationStream, long nowMs) {
        if (notifications.isEmpty()) {
            return Mono.empty();
        }
        String[] users = notifications.stream().map(Notification::userId).toArray(String[]::new);
        String[] events = notifications.stream().map(Notification::eventId).toArray(String[]::new);
        return db.update(db.sql(INSERT_NOTIFICATIONS).bind("users", users).bind("events", events)
                .bind("rooms", notifications.stream().map(Notification::roomId).toArray(String[]::new))
                .bind("orderings", notifications.stream().map(Notification::streamOrdering).toArray(Long[]::new))
                .bind("threads", notifications.stream().map(Notification::threadId).toArray(String[]::new))
                .bind("actions", notifications.stream().map(Notification::actionsJson).toArray(String[]::new))
                .bind("highlights", notifications.stream().map(Notification::highlight).toArray(Boolean[]::new))
                .bind("ts", nowMs).bind("stream", notificationStream))
                .then(db.update(db.sql(INSERT_DELIVERIES).bind("users", users).bind("events", events)
                        .bind("ts", nowMs)))
                .then();
    }

    /** Records the events local users sent as read positions of their threads, under {@code notificationStream}. */
    public Mono<Void> sentReads(List<SentRead> reads, long notificationStream) {
        if (reads.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(SENT_READS)
                .bind("users", reads.stream().map(SentRead::userId).toArray(String[]::new))
                .bind("rooms", reads.stream().map(SentRead::roomId).toArray(String[]::new))
                .bind("threads", reads.stream().map(SentRead::threadId).toArray(String[]::new))
                .bind("orderings", reads.stream().map(SentRead::streamOrdering).toArray(Long[]::new))
                .bind("stream", notificationStream)).then();
    }
}
