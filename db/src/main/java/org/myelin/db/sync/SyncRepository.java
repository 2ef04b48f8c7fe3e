package org.myelin.db.sync;

import java.util.List;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RoomStateChangeRepository;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateGroupSql;
import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * The reads /sync makes of the room graph, each bounded by what changed: the events stream's position, the rooms a
 * user has something new in between two positions (one query driven by the events stream), a room's timeline
 * slice, the state group at a stream position, and the member counts and heroes of a room's summary.
 */
public final class SyncRepository {

    private static final String MEMBERSHIP_COLUMNS = "m.room_id, m.user_id, m.membership, m.event_id,"
            + " m.stream_ordering, m.forgotten";
    private static final String EVENT_COLUMNS = """
            stream_ordering, event_id, room_id, type, state_key, sender, depth, topological_ordering,
            origin_server_ts, json, txn_id, sender_device_id""";
    private static final String ACCEPTED = " NOT outlier AND NOT soft_failed AND rejected_reason IS NULL";

    /** The highest ordering below every event still being written (V5 migration). */
    private static final String POSITION = "SELECT myelin_events_position() AS pos";
    private static final String ALL_MEMBERSHIPS = "SELECT " + MEMBERSHIP_COLUMNS + " FROM room_memberships m"
            + " WHERE m.user_id = :userId AND NOT m.forgotten AND m.stream_ordering <= :upTo";
    /**
     * Memberships that changed in the window (index on user and stream), plus joined rooms with events in the
     * window, found from the events in the window (primary key range) rather than from every joined room.
     */
    private static final String CHANGED = "SELECT " + MEMBERSHIP_COLUMNS + " FROM room_memberships m"
            + " WHERE m.user_id = :userId AND m.stream_ordering > :since AND m.stream_ordering <= :upTo"
            + " UNION SELECT " + MEMBERSHIP_COLUMNS + " FROM (SELECT DISTINCT room_id FROM events"
            + " WHERE stream_ordering > :since AND stream_ordering <= :upTo AND" + ACCEPTED + ") e"
            + " JOIN room_memberships m ON m.room_id = e.room_id AND m.user_id = :userId AND m.membership = 'join'";
    private static final String COUNTS = "SELECT membership, COUNT(*) AS n FROM room_memberships"
            + " WHERE room_id = :roomId AND membership IN ('join', 'invite') GROUP BY membership";
    private static final String HEROES = "SELECT user_id FROM room_memberships WHERE room_id = :roomId"
            + " AND user_id <> :userId AND membership = ANY(:memberships) ORDER BY stream_ordering LIMIT :limit";

    private static final String LAZY = "WHERE e.type <> 'm.room.member' OR e.state_key = ANY(:members)";

    private final Database db;
    private final RoomStateChangeRepository stateChanges;

    public SyncRepository(Database db) {
        this.db = db;
        this.stateChanges = new RoomStateChangeRepository(db);
    }

    /** The events stream's position: the highest stream ordering stored, 0 before any event. */
    public Mono<Long> eventsPosition() {
        return db.one(db.sql(POSITION), r -> r.longValue("pos"));
    }

    /** Every membership of the user that is not forgotten, as of {@code upTo} (initial sync). */
    public Mono<List<MembershipRow>> memberships(String userId, long upTo) {
        return db.many(db.sql(ALL_MEMBERSHIPS).bind("userId", userId).bind("upTo", upTo), SyncRepository::membership);
    }

    /**
     * The user's memberships in the rooms with something new for them in {@code (since, upTo]}: their membership
     * changed, or they are joined and the room has events.
     */
    public Mono<List<MembershipRow>> changed(String userId, long since, long upTo) {
        return db.many(db.sql(CHANGED).bind("userId", userId).bind("since", since).bind("upTo", upTo),
                SyncRepository::membership);
    }

    /**
     * The latest {@code limit} accepted events of the room in {@code (since, upTo]} that pass the filter, newest
     * first.
     */
    public Mono<List<EventRow>> latest(TimelineQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(EVENT_COLUMNS).append(" FROM events")
                .append(" WHERE room_id = :roomId AND stream_ordering > :since AND stream_ordering <= :upTo AND")
                .append(ACCEPTED);
        if (!q.types().isEmpty()) {
            sql.append(" AND type LIKE ANY(:types)");
        }
        if (!q.notTypes().isEmpty()) {
            sql.append(" AND NOT (type LIKE ANY(:notTypes))");
        }
        if (!q.senders().isEmpty()) {
            sql.append(" AND sender = ANY(:senders)");
        }
        if (!q.notSenders().isEmpty()) {
            sql.append(" AND sender <> ALL(:notSenders)");
        }
        if (!q.hidden().isEmpty()) {
            sql.append(" AND (state_key IS NOT NULL OR sender <> ALL(:hidden))");
        }
        sql.append(" ORDER BY stream_ordering DESC LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("roomId", q.roomId())
                .bind("since", q.since()).bind("upTo", q.upTo()).bind("limit", q.limit());
        spec = bindList(spec, "types", q.types());
        spec = bindList(spec, "notTypes", q.notTypes());
        spec = bindList(spec, "senders", q.senders());
        spec = bindList(spec, "notSenders", q.notSenders());
        spec = bindList(spec, "hidden", q.hidden());
        return db.many(spec, SyncRepository::event);
    }

    /** The group holding the room's current state as of stream position {@code upTo}; empty before the room. */
    public Mono<Long> stateGroupAt(String roomId, long upTo) {
        return stateChanges.at(roomId, upTo);
    }

    /**
     * The entries of group {@code to}'s state that group {@code from} does not have (added or changed), or all of
     * them when {@code from} is null. With {@code members} non-null only those members' m.room.member entries
     * are read (lazy loading), so a big room's member list is never resolved.
     */
    public Mono<List<StateEntry>> stateDelta(Long from, long to, List<String> members) {
        String filter = members == null ? "" : LAZY;
        String sql = "(" + StateGroupSql.stateOf("to", filter) + ")";
        if (from != null) {
            sql += " EXCEPT (" + StateGroupSql.stateOf("from", filter) + ")";
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql).bind("to", to);
        if (from != null) {
            spec = spec.bind("from", from);
        }
        if (members != null) {
            spec = spec.bind("members", members.toArray(String[]::new));
        }
        return db.many(spec, r -> new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id")));
    }

    /** The number of joined and invited members now: {@code [joined, invited]}. */
    public Mono<long[]> memberCounts(String roomId) {
        return db.many(db.sql(COUNTS).bind("roomId", roomId),
                r -> new Object[] {r.string("membership"), r.longValue("n")}).map(rows -> {
                    long[] counts = new long[2];
                    for (Object[] row : rows) {
                        counts["join".equals(row[0]) ? 0 : 1] = (Long) row[1];
                    }
                    return counts;
                });
    }

    /**
     * The room's heroes for {@code userId}: up to {@code limit} joined or invited members other than the user,
     * in stream order; when there are none, up to {@code limit} of those who left or were banned.
     */
    public Mono<List<String>> heroes(String roomId, String userId, int limit) {
        return heroes(roomId, userId, limit, "join", "invite")
                .flatMap(present -> present.isEmpty() ? heroes(roomId, userId, limit, "leave", "ban")
                        : Mono.just(present));
    }

    private Mono<List<String>> heroes(String roomId, String userId, int limit, String... memberships) {
        return db.many(db.sql(HEROES).bind("roomId", roomId).bind("userId", userId).bind("limit", limit)
                .bind("memberships", memberships), r -> r.string("user_id"));
    }

    private static DatabaseClient.GenericExecuteSpec bindList(DatabaseClient.GenericExecuteSpec spec, String name,
            List<String> values) {
        return values.isEmpty() ? spec : spec.bind(name, values.toArray(String[]::new));
    }

    private static MembershipRow membership(Database.Row r) {
        return new MembershipRow(r.string("room_id"), r.string("user_id"), r.string("membership"),
                r.string("event_id"), r.longValue("stream_ordering"), r.bool("forgotten"));
    }

    private static EventRow event(Database.Row r) {
        return new EventRow(r.longValue("stream_ordering"), r.string("event_id"), r.string("room_id"),
                r.string("type"), r.string("state_key"), r.string("sender"), r.longValue("depth"),
                r.longValue("topological_ordering"), r.longValue("origin_server_ts"), r.string("json"),
                r.string("txn_id"), r.string("sender_device_id"));
    }
}
