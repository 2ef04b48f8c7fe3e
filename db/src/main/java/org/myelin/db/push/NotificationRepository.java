package org.myelin.db.push;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Reads of a user's notifications ({@code event_push_actions}): unread counts per room and thread, the rooms whose
 * notifications changed on the {@code notifications} stream, and the list {@code GET /notifications} pages through.
 * A notification is read once a read receipt of the user ({@code m.read} or {@code m.read.private}) is at or after
 * its event, either unthreaded or in its thread, or the user sent an event at or after it in that thread.
 */
public final class NotificationRepository {

    /** Unread notifications of one room's thread ({@code main} for the main timeline). */
    public record Unread(String roomId, String threadId, long notifications, long highlights) {
    }

    /** One notification as listed. */
    public record Listed(String eventId, String roomId, long streamOrdering, String actionsJson, long ts,
            boolean read) {
    }

    /* Where the user has read each of their rooms' threads: '' is the unthreaded receipt, covering every thread. */
    private static final String READS = """
            reads AS (
                SELECT r.room_id, r.thread_id, MAX(e.stream_ordering) AS pos FROM receipts r
                JOIN events e ON e.event_id = r.event_id
                WHERE r.user_id = :user AND r.room_id = ANY(:rooms) AND r.receipt_type IN ('m.read', 'm.read.private')
                GROUP BY r.room_id, r.thread_id
                UNION ALL
                SELECT room_id, thread_id, stream_ordering FROM push_sent_reads
                WHERE user_id = :user AND room_id = ANY(:rooms)),
            read_to AS (SELECT room_id, thread_id, MAX(pos) AS pos FROM reads GROUP BY room_id, thread_id)""";
    private static final String UNREAD_CONDITION = """
            a.stream_ordering > GREATEST(
                COALESCE((SELECT pos FROM read_to u WHERE u.room_id = a.room_id AND u.thread_id = ''), 0),
                COALESCE((SELECT pos FROM read_to t WHERE t.room_id = a.room_id AND t.thread_id = a.thread_id), 0))""";
    private static final String UNREAD = """
            WITH %s
            SELECT a.room_id, a.thread_id, COUNT(*) AS notifications, COUNT(*) FILTER (WHERE a.highlight) AS highlights
            FROM event_push_actions a
            WHERE a.user_id = :user AND a.room_id = ANY(:rooms) AND %s
            GROUP BY a.room_id, a.thread_id""".formatted(READS, UNREAD_CONDITION);
    private static final String CHANGED = """
            SELECT room_id FROM event_push_actions
            WHERE user_id = :user AND notification_stream > :since AND notification_stream <= :upTo
            UNION
            SELECT room_id FROM push_sent_reads
            WHERE user_id = :user AND notification_stream > :since AND notification_stream <= :upTo""";
    private static final String LIST = """
            WITH rooms AS (SELECT DISTINCT room_id FROM event_push_actions WHERE user_id = :user),
            %s
            SELECT a.event_id, a.room_id, a.stream_ordering, a.actions, a.ts, NOT (%s) AS read
            FROM event_push_actions a
            WHERE a.user_id = :user AND a.stream_ordering < :before AND (a.highlight OR NOT :onlyHighlight)
            ORDER BY a.stream_ordering DESC LIMIT :limit""".formatted(
            READS.replace("ANY(:rooms)", "ANY(ARRAY(SELECT room_id FROM rooms))"), UNREAD_CONDITION);
    private static final String JOINED = "ANY(ARRAY(SELECT room_id FROM room_memberships "
            + "WHERE user_id = :user AND membership = 'join'))";
    private static final String TOTAL = """
            WITH %s
            SELECT COUNT(*) AS notifications FROM event_push_actions a
            WHERE a.user_id = :user AND a.room_id = %s AND %s""".formatted(READS.replace("ANY(:rooms)", JOINED),
            JOINED, UNREAD_CONDITION);

    private static final String STATE_VALUE = """
            (SELECT (se.json::jsonb) -> 'content' ->> '%s' FROM current_state cs JOIN events se
             ON se.event_id = cs.event_id WHERE cs.room_id = a.room_id AND cs.type = '%s' AND cs.state_key = %s)""";
    private static final String NOTIFIED = """
            SELECT a.room_id, a.actions, e.json, e.redacted_by IS NOT NULL AS redacted,
                   %s AS room_name, %s AS room_alias, %s AS sender_display_name
            FROM event_push_actions a JOIN events e ON e.event_id = a.event_id
            WHERE a.user_id = :user AND a.event_id = :event""".formatted(
            STATE_VALUE.formatted("name", "m.room.name", "''"),
            STATE_VALUE.formatted("alias", "m.room.canonical_alias", "''"),
            STATE_VALUE.formatted("displayname", "m.room.member", "e.sender"));

    /** A notification with what a push gateway is told about it. */
    public record Notified(String roomId, String actionsJson, String eventJson, boolean redacted, String roomName,
            String roomAlias, String senderDisplayName) {
    }

    private final Database db;

    public NotificationRepository(Database db) {
        this.db = db;
    }

    /** The unread notifications of {@code userId} in {@code roomIds}, by room and thread (only non-zero ones). */
    public Mono<List<Unread>> unread(String userId, Collection<String> roomIds) {
        if (roomIds.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.many(db.sql(UNREAD).bind("user", userId).bind("rooms", roomIds.toArray(String[]::new)),
                row -> new Unread(row.string("room_id"), row.string("thread_id"), row.longValue("notifications"),
                        row.longValue("highlights")));
    }

    /** The rooms in which {@code userId} got notifications (or read by sending) in {@code (since, upTo]} of the notifications stream. */
    public Mono<List<String>> changedRooms(String userId, long since, long upTo) {
        return db.many(db.sql(CHANGED).bind("user", userId).bind("since", since).bind("upTo", upTo),
                row -> row.string("room_id"));
    }

    /** The unread notifications of {@code userId} over every room they are joined to (a push's badge count). */
    public Mono<Long> totalUnread(String userId) {
        return db.one(db.sql(TOTAL).bind("user", userId), row -> row.longValue("notifications")).defaultIfEmpty(0L);
    }

    /** The user's notification about {@code eventId}, with its room's name and alias and the sender's name. */
    public Mono<Notified> notified(String userId, String eventId) {
        return db.one(db.sql(NOTIFIED).bind("user", userId).bind("event", eventId), row -> new Notified(
                row.string("room_id"), row.json("actions"), row.string("json"), row.bool("redacted"),
                row.string("room_name"), row.string("room_alias"), row.string("sender_display_name")));
    }

    /** The user's notifications before stream position {@code before}, newest first. */
    public Mono<List<Listed>> list(String userId, long before, boolean onlyHighlight, int limit) {
        return db.many(db.sql(LIST).bind("user", userId).bind("before", before).bind("onlyHighlight", onlyHighlight)
                .bind("limit", limit), row -> new Listed(row.string("event_id"), row.string("room_id"),
                        row.longValue("stream_ordering"), row.json("actions"), row.longValue("ts"), row.bool("read")));
    }
}
