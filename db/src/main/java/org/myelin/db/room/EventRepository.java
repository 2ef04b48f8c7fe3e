package org.myelin.db.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/** Events and their prev/auth edges; the global stream ordering comes from {@code stream_ordering_seq}. */
public final class EventRepository {

    private static final String COLUMNS = """
            stream_ordering, event_id, room_id, type, state_key, sender, depth, topological_ordering,
            origin_server_ts, json, txn_id, sender_device_id""";
    /** nextval plus an in-flight registration, so readers never pass it before it commits (V5 migration). */
    private static final String NEXT_STREAM = "SELECT myelin_next_stream_ordering() AS next";
    /** Many orderings at once, only the lowest registered in flight (V38 migration). */
    private static final String NEXT_STREAMS = "SELECT myelin_next_stream_orderings(:count) AS next";
    /** Below zero and descending, so backfilled history never enters a live /sync window (V8 migration). */
    private static final String NEXT_BACKFILL = "SELECT nextval('backfill_ordering_seq') AS next";
    /**
     * The auth chain of a set of events: their auth events, those events' auth events, and so on. Each step reads
     * the edges through their index in a LATERAL subquery PostgreSQL may not flatten: as a plain join, a prepared
     * statement's generic plan hash-joins every step with a sequential scan of all the server's auth edges.
     */
    private static final String AUTH_CHAIN = """
            WITH RECURSIVE chain (event_id) AS (
                SELECT auth_event_id FROM event_auth_edges WHERE event_id = ANY(:ids)
                UNION
                SELECT a.auth_event_id FROM chain c CROSS JOIN LATERAL
                    (SELECT a.auth_event_id FROM event_auth_edges a WHERE a.event_id = c.event_id OFFSET 0) a)
            SELECT event_id FROM chain""";
    private static final String STATUS = """
            SELECT outlier, rejected_reason, soft_failed FROM events WHERE event_id = :eventId""";
    private static final String REJECTED = """
            SELECT event_id FROM events WHERE event_id = ANY(:ids) AND rejected_reason IS NOT NULL""";
    /** Also fills relates_to_id and relation_type from a well-formed {@code content.m.relates_to}. */
    private static final String INSERT = "INSERT INTO events (" + COLUMNS
            + ", outlier, rejected_reason, soft_failed, relates_to_id, relation_type)"
            + " SELECT :stream, :eventId, :roomId, :type, :stateKey, :sender, :depth, :topo, :ts, :json, :txnId,"
            + " :deviceId, :outlier, :rejected, :softFailed,"
            + " CASE WHEN jsonb_typeof(rel -> 'event_id') = 'string' THEN rel ->> 'event_id' END,"
            + " CASE WHEN jsonb_typeof(rel -> 'rel_type') = 'string' THEN rel ->> 'rel_type' END"
            + " FROM (SELECT CAST(:json AS JSONB) #> '{content,m.relates_to}' AS rel) relation";
    /** Many outliers in one statement: {@link #INSERT} over arrays, one element per event. */
    private static final String INSERT_OUTLIERS = "INSERT INTO events (" + COLUMNS
            + ", outlier, relates_to_id, relation_type)"
            + " SELECT u.stream, u.event_id, u.room_id, u.type, u.state_key, u.sender, u.depth, u.topo, u.ts, u.json,"
            + " NULL, NULL, TRUE,"
            + " CASE WHEN jsonb_typeof(relation.rel -> 'event_id') = 'string' THEN relation.rel ->> 'event_id' END,"
            + " CASE WHEN jsonb_typeof(relation.rel -> 'rel_type') = 'string' THEN relation.rel ->> 'rel_type' END"
            + " FROM unnest(:stream::bigint[], :eventId::text[], :roomId::text[], :type::text[], :stateKey::text[],"
            + " :sender::text[], :depth::bigint[], :topo::bigint[], :ts::bigint[], :json::text[])"
            + " AS u(stream, event_id, room_id, type, state_key, sender, depth, topo, ts, json)"
            + " CROSS JOIN LATERAL (SELECT CAST(u.json AS JSONB) #> '{content,m.relates_to}' AS rel) relation";
    private static final String INSERT_EDGE_PAIRS = """
            INSERT INTO event_edges (event_id, prev_event_id) SELECT * FROM unnest(:ids::text[], :others::text[])
            ON CONFLICT DO NOTHING""";
    private static final String INSERT_AUTH_EDGE_PAIRS = """
            INSERT INTO event_auth_edges (event_id, auth_event_id) SELECT * FROM unnest(:ids::text[], :others::text[])
            ON CONFLICT DO NOTHING""";
    private static final String STORED = "SELECT event_id FROM events WHERE event_id = ANY(:ids)";
    private static final String INSERT_EDGES = """
            INSERT INTO event_edges (event_id, prev_event_id) SELECT :eventId, unnest(:ids::text[])
            ON CONFLICT DO NOTHING""";
    private static final String INSERT_AUTH_EDGES = """
            INSERT INTO event_auth_edges (event_id, auth_event_id) SELECT :eventId, unnest(:ids::text[])
            ON CONFLICT DO NOTHING""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM events";
    /** Prev events of the room's timeline events that are not in the timeline (unknown, or known as outliers). */
    private static final String BACKWARD_EXTREMITIES = """
            SELECT DISTINCT e.prev_event_id FROM event_edges e JOIN events ev ON ev.event_id = e.event_id
            WHERE ev.room_id = :roomId AND NOT ev.outlier AND ev.rejected_reason IS NULL
              AND NOT EXISTS (SELECT 1 FROM events p WHERE p.event_id = e.prev_event_id AND NOT p.outlier)
            LIMIT :limit""";
    private static final String DELETE_OUTLIER = "DELETE FROM events WHERE event_id = :eventId AND outlier";
    /**
     * Ancestors through prev edges, at most :hops edges back, not past :stop, oldest allowed depth :minDepth; each
     * step through the edges' index (a LATERAL subquery, as in {@link #AUTH_CHAIN}).
     */
    private static final String WALK_BACK = """
            WITH RECURSIVE back (event_id, hops) AS (
                SELECT prev_event_id, 1 FROM event_edges WHERE event_id = ANY(:from) AND NOT prev_event_id = ANY(:stop)
                UNION
                SELECT e.prev_event_id, b.hops + 1 FROM back b CROSS JOIN LATERAL
                    (SELECT e.prev_event_id FROM event_edges e
                     WHERE e.event_id = b.event_id AND NOT e.prev_event_id = ANY(:stop) OFFSET 0) e
                WHERE b.hops < :hops)
            SELECT %s FROM events WHERE event_id IN (SELECT event_id FROM back) AND room_id = :room
              AND depth >= :minDepth AND rejected_reason IS NULL
            ORDER BY depth DESC, stream_ordering DESC LIMIT :limit""".formatted(COLUMNS);
    private static final String PAGE = SELECT
            + " WHERE room_id = :roomId AND NOT outlier AND NOT soft_failed AND rejected_reason IS NULL";

    private static final String EVER_MEMBER = """
            SELECT 1 AS found FROM events WHERE room_id = :roomId AND type = 'm.room.member' AND state_key = :userId
            AND rejected_reason IS NULL AND CAST(json AS JSONB) -> 'content' ->> 'membership' = :membership LIMIT 1""";

    private final Database db;
    private final EventSearchRepository search;

    public EventRepository(Database db) {
        this.db = db;
        this.search = new EventSearchRepository(db);
    }

    /** The next global stream position; call it inside the transaction that inserts the event. */
    public Mono<Long> nextStreamOrdering() {
        return db.one(db.sql(NEXT_STREAM), r -> r.longValue("next"));
    }

    /**
     * {@code count} global stream positions, ascending; call it inside the transaction that inserts the events. Only
     * the lowest is registered as in flight, which holds readers back below all of them, so a batch of any size
     * holds one lock.
     */
    public Mono<List<Long>> nextStreamOrderings(int count) {
        if (count == 0) {
            return Mono.just(List.of());
        }
        return db.many(db.sql(NEXT_STREAMS).bind("count", count), r -> r.longValue("next"))
                .map(orderings -> orderings.stream().sorted().toList());
    }

    /** The next ordering for a backfilled event: below zero, below every earlier one. */
    public Mono<Long> nextBackfillOrdering() {
        return db.one(db.sql(NEXT_BACKFILL), r -> r.longValue("next"));
    }

    /** Inserts an accepted event with its prev and auth edges. */
    public Mono<Void> insert(EventRow e, Collection<String> prevEventIds, Collection<String> authEventIds) {
        return insert(e, prevEventIds, authEventIds, EventStatus.ACCEPTED);
    }

    /**
     * Inserts the event with its prev and auth edges, marked as {@code status} says. This is the one place events
     * are stored, so an accepted event's searchable text is indexed here too (never an outlier's, a rejected or a
     * soft-failed event's).
     */
    public Mono<Void> insert(EventRow e, Collection<String> prevEventIds, Collection<String> authEventIds,
            EventStatus status) {
        var spec = db.sql(INSERT).bind("stream", e.streamOrdering()).bind("eventId", e.eventId())
                .bind("outlier", status.outlier()).bind("softFailed", status.softFailed())
                .bind("roomId", e.roomId()).bind("type", e.type()).bind("sender", e.sender())
                .bind("depth", e.depth()).bind("topo", e.topologicalOrdering()).bind("ts", e.originServerTs())
                .bind("json", e.json());
        spec = Database.bindNullable(spec, "stateKey", e.stateKey(), String.class);
        spec = Database.bindNullable(spec, "txnId", e.txnId(), String.class);
        spec = Database.bindNullable(spec, "deviceId", e.senderDeviceId(), String.class);
        spec = Database.bindNullable(spec, "rejected", status.rejectedReason(), String.class);
        return db.update(spec)
                .then(db.update(db.sql(INSERT_EDGES).bind("eventId", e.eventId())
                        .bind("ids", prevEventIds.toArray(String[]::new))))
                .then(db.update(db.sql(INSERT_AUTH_EDGES).bind("eventId", e.eventId())
                        .bind("ids", authEventIds.toArray(String[]::new))))
                .then(status.accepted() ? search.index(e) : Mono.empty());
    }

    /**
     * Inserts outliers with their prev and auth edges, a few statements for all of them (each statement carries every
     * row as arrays); nothing is indexed for search, as for any outlier.
     */
    public Mono<Void> insertOutliers(List<NewEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        int n = events.size();
        Long[] stream = new Long[n];
        String[] eventId = new String[n];
        String[] roomId = new String[n];
        String[] type = new String[n];
        String[] stateKey = new String[n];
        String[] sender = new String[n];
        Long[] depth = new Long[n];
        Long[] topo = new Long[n];
        Long[] ts = new Long[n];
        String[] json = new String[n];
        for (int i = 0; i < n; i++) {
            EventRow e = events.get(i).row();
            stream[i] = e.streamOrdering();
            eventId[i] = e.eventId();
            roomId[i] = e.roomId();
            type[i] = e.type();
            stateKey[i] = e.stateKey();
            sender[i] = e.sender();
            depth[i] = e.depth();
            topo[i] = e.topologicalOrdering();
            ts[i] = e.originServerTs();
            json[i] = e.json();
        }
        var insert = db.sql(INSERT_OUTLIERS).bind("stream", stream).bind("eventId", eventId).bind("roomId", roomId)
                .bind("type", type).bind("stateKey", stateKey).bind("sender", sender).bind("depth", depth)
                .bind("topo", topo).bind("ts", ts).bind("json", json);
        return db.update(insert)
                .then(insertPairs(INSERT_EDGE_PAIRS, events, true))
                .then(insertPairs(INSERT_AUTH_EDGE_PAIRS, events, false));
    }

    private Mono<Void> insertPairs(String sql, List<NewEvent> events, boolean prev) {
        List<String> ids = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (NewEvent e : events) {
            for (String other : prev ? e.prevEventIds() : e.authEventIds()) {
                ids.add(e.row().eventId());
                others.add(other);
            }
        }
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(sql).bind("ids", ids.toArray(String[]::new))
                .bind("others", others.toArray(String[]::new))).then();
    }

    /** Those of these events that are stored, in any status. */
    public Mono<Set<String>> storedAmong(Collection<String> eventIds) {
        return db.many(db.sql(STORED).bind("ids", eventIds.toArray(String[]::new)), r -> r.string("event_id"))
                .map(Set::copyOf);
    }

    /** The IDs of every event in the auth chains of these events (not the events themselves). */
    public Mono<List<String>> authChain(Collection<String> eventIds) {
        return db.many(db.sql(AUTH_CHAIN).bind("ids", eventIds.toArray(String[]::new)), r -> r.string("event_id"));
    }

    /**
     * The events before {@code from} in {@code roomId}, walking prev edges at most {@code limit} steps and never
     * past {@code stop}, at least {@code minDepth} deep, newest first, at most {@code limit}; rejected ones left out.
     */
    public Mono<List<EventRow>> walkBack(String roomId, Collection<String> from, Collection<String> stop,
            long minDepth, int limit) {
        return db.many(db.sql(WALK_BACK).bind("room", roomId).bind("from", from.toArray(String[]::new))
                .bind("stop", stop.toArray(String[]::new)).bind("hops", limit).bind("minDepth", minDepth)
                .bind("limit", limit), EventRepository::map);
    }

    /**
     * Up to {@code limit} backward extremities of the room: events its timeline refers to as prev events but does not
     * hold (the room was joined after them, or they are stored only as outliers); where history can be backfilled
     * from.
     */
    public Mono<List<String>> backwardExtremities(String roomId, int limit) {
        return db.many(db.sql(BACKWARD_EXTREMITIES).bind("roomId", roomId).bind("limit", limit),
                r -> r.string("prev_event_id"));
    }

    /**
     * Removes the event if it is stored as an outlier, so it can be stored again as a timeline event (its edges stay:
     * they are the same); a no-op for any other event.
     */
    public Mono<Void> deleteOutlier(String eventId) {
        return db.update(db.sql(DELETE_OUTLIER).bind("eventId", eventId)).then();
    }

    /** How a stored event takes part in its room; empty when it is not stored. */
    public Mono<EventStatus> status(String eventId) {
        return db.one(db.sql(STATUS).bind("eventId", eventId), r -> new EventStatus(r.bool("outlier"),
                r.string("rejected_reason"), r.bool("soft_failed")));
    }

    /** Those of these events that were rejected. */
    public Mono<List<String>> rejectedAmong(Collection<String> eventIds) {
        return db.many(db.sql(REJECTED).bind("ids", eventIds.toArray(String[]::new)), r -> r.string("event_id"));
    }

    public Mono<EventRow> find(String eventId) {
        return db.one(db.sql(SELECT + " WHERE event_id = :eventId").bind("eventId", eventId), EventRepository::map);
    }

    /** The events with these IDs that are stored, in no particular order. */
    public Mono<List<EventRow>> findAll(Collection<String> eventIds) {
        return db.many(db.sql(SELECT + " WHERE event_id = ANY(:ids)").bind("ids", eventIds.toArray(String[]::new)),
                EventRepository::map);
    }

    /** Whether the user ever had this membership in the room, according to the stored member events. */
    public Mono<Boolean> everHadMembership(String roomId, String userId, String membership) {
        return db.one(db.sql(EVER_MEMBER).bind("roomId", roomId).bind("userId", userId)
                .bind("membership", membership), r -> true).defaultIfEmpty(false);
    }

    /** The latest accepted event at or before the position (topological, then stream ordering). */
    public Mono<EventRow> latestAtOrBefore(String roomId, long topo, long stream) {
        return db.one(db.sql(PAGE + " AND (topological_ordering, stream_ordering) <= (:topo, :stream)"
                + " ORDER BY topological_ordering DESC, stream_ordering DESC LIMIT 1").bind("roomId", roomId)
                .bind("topo", topo).bind("stream", stream), EventRepository::map);
    }

    /** One page of the room's accepted timeline, in the query's direction. */
    public Mono<List<EventRow>> page(EventPageQuery q) {
        StringBuilder sql = new StringBuilder(PAGE);
        appendBound(sql, q.from(), q.backwards() ? "<" : ">", "from");
        if (q.to() != null) {
            appendBound(sql, q.to(), q.backwards() ? ">" : "<", "to");
        }
        if (q.until() != null) {
            appendBound(sql, q.until(), "<=", "until");
        }
        appendFilters(sql, q);
        String order = q.backwards() ? " DESC" : " ASC";
        sql.append(" ORDER BY topological_ordering").append(order).append(", stream_ordering").append(order)
                .append(" LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("roomId", q.roomId())
                .bind("limit", q.limit());
        spec = bindBound(spec, q.from(), "from");
        spec = bindBound(spec, q.to(), "to");
        spec = bindBound(spec, q.until(), "until");
        spec = bindList(spec, "types", q.types());
        spec = bindList(spec, "notTypes", q.notTypes());
        spec = bindList(spec, "senders", q.senders());
        spec = bindList(spec, "notSenders", q.notSenders());
        spec = bindList(spec, "hidden", q.hidden());
        return db.many(spec, EventRepository::map);
    }

    /**
     * {@code AND position <cmp> bound}. A stream-only bound splits the events at its stream ordering: those at or
     * below it are before it, so {@code <} and {@code <=} read {@code stream_ordering <= s} and {@code >} reads
     * {@code stream_ordering > s}.
     */
    private static void appendBound(StringBuilder sql, PageBound bound, String cmp, String name) {
        if (bound.streamOnly()) {
            sql.append(" AND stream_ordering ").append(cmp.equals(">") ? ">" : "<=").append(" :").append(name)
                    .append("Stream");
        } else {
            sql.append(" AND (topological_ordering, stream_ordering) ").append(cmp).append(" (:").append(name)
                    .append("Topo, :").append(name).append("Stream)");
        }
    }

    private static DatabaseClient.GenericExecuteSpec bindBound(DatabaseClient.GenericExecuteSpec spec,
            PageBound bound, String name) {
        if (bound == null) {
            return spec;
        }
        spec = spec.bind(name + "Stream", bound.stream());
        return bound.streamOnly() ? spec : spec.bind(name + "Topo", bound.topological());
    }

    private static void appendFilters(StringBuilder sql, EventPageQuery q) {
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
    }

    private static DatabaseClient.GenericExecuteSpec bindList(DatabaseClient.GenericExecuteSpec spec, String name,
            List<String> values) {
        return values.isEmpty() ? spec : spec.bind(name, values.toArray(String[]::new));
    }

    /** An {@code events} row of the usual columns. */
    public static EventRow map(Database.Row r) {
        return new EventRow(r.longValue("stream_ordering"), r.string("event_id"), r.string("room_id"),
                r.string("type"), r.string("state_key"), r.string("sender"), r.longValue("depth"),
                r.longValue("topological_ordering"), r.longValue("origin_server_ts"), r.string("json"),
                r.string("txn_id"), r.string("sender_device_id"));
    }
}
