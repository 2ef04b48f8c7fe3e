package org.myelin.db.room;

import java.util.List;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * Reads over the relation columns of {@code events} ({@code relates_to_id}, {@code relation_type}, filled from
 * {@code content.m.relates_to} on insert): children of an event, thread roots, and the event closest to a time.
 */
public final class RelationRepository {

    private static final String COLUMNS = """
            e.stream_ordering, e.event_id, e.room_id, e.type, e.state_key, e.sender, e.depth, e.topological_ordering,
            e.origin_server_ts, e.json, e.txn_id, e.sender_device_id""";
    private static final String ACCEPTED = " NOT e.outlier AND NOT e.soft_failed AND e.rejected_reason IS NULL";
    private static final String CHILDREN = "WITH RECURSIVE related (event_id, depth) AS ("
            + " SELECT event_id, 1 FROM events WHERE relates_to_id = :parentId AND room_id = :roomId"
            + " UNION SELECT c.event_id, r.depth + 1 FROM related r CROSS JOIN LATERAL (SELECT c.event_id FROM events c"
            + " WHERE c.relates_to_id = r.event_id AND c.room_id = :roomId OFFSET 0) c WHERE r.depth < :maxDepth)"
            + " SELECT DISTINCT " + COLUMNS + " FROM related r JOIN events e ON e.event_id = r.event_id WHERE"
            + ACCEPTED;
    private static final String THREADS = "WITH threads AS ("
            + " SELECT relates_to_id AS root_id, count(*) AS replies, max(stream_ordering) AS latest,"
            + " bool_or(sender = :userId) AS participated FROM events e"
            + " WHERE room_id = :roomId AND relation_type = 'm.thread' AND" + ACCEPTED + " GROUP BY relates_to_id)"
            + " SELECT t.replies, t.participated OR e.sender = :userId AS participated,"
            + " l.stream_ordering AS l_stream, l.event_id AS l_event_id, l.type AS l_type,"
            + " l.state_key AS l_state_key, l.sender AS l_sender, l.depth AS l_depth,"
            + " l.topological_ordering AS l_topo, l.origin_server_ts AS l_ts, l.json AS l_json,"
            + " l.txn_id AS l_txn_id, l.sender_device_id AS l_device, " + COLUMNS
            + " FROM threads t JOIN events e ON e.event_id = t.root_id AND e.room_id = :roomId"
            + " JOIN events l ON l.stream_ordering = t.latest"
            + " WHERE (l.topological_ordering, l.stream_ordering) < (:fromTopo, :fromStream)";
    private static final String CLOSEST = "SELECT " + COLUMNS + " FROM events e WHERE e.room_id = :roomId AND"
            + ACCEPTED;

    private final Database db;

    public RelationRepository(Database db) {
        this.db = db;
    }

    /** One page of the parent's children (and their children, up to the query's depth). */
    public Mono<List<EventRow>> children(RelationQuery q) {
        String cmp = q.backwards() ? "<" : ">";
        StringBuilder sql = new StringBuilder(CHILDREN)
                .append(" AND (e.topological_ordering, e.stream_ordering) ").append(cmp)
                .append(" (:fromTopo, :fromStream)");
        if (q.toTopo() != null) {
            sql.append(" AND (e.topological_ordering, e.stream_ordering) ").append(q.backwards() ? ">" : "<")
                    .append(" (:toTopo, :toStream)");
        }
        if (q.relType() != null) {
            sql.append(" AND e.relation_type = :relType");
        }
        if (q.eventType() != null) {
            sql.append(" AND e.type = :eventType");
        }
        String order = q.backwards() ? " DESC" : " ASC";
        sql.append(" ORDER BY e.topological_ordering").append(order).append(", e.stream_ordering").append(order)
                .append(" LIMIT :limit");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("roomId", q.roomId())
                .bind("parentId", q.parentId()).bind("maxDepth", q.maxDepth()).bind("fromTopo", q.fromTopo())
                .bind("fromStream", q.fromStream()).bind("limit", q.limit());
        if (q.toTopo() != null) {
            spec = spec.bind("toTopo", q.toTopo()).bind("toStream", q.toStream());
        }
        if (q.relType() != null) {
            spec = spec.bind("relType", q.relType());
        }
        if (q.eventType() != null) {
            spec = spec.bind("eventType", q.eventType());
        }
        return db.many(spec, EventRepository::map);
    }

    /**
     * Thread roots whose latest event lies before the position, the most recently active first.
     *
     * @param onlyParticipated keep only threads {@code userId} sent the root or a reply of
     */
    public Mono<List<ThreadRootRow>> threadRoots(String roomId, String userId, boolean onlyParticipated,
            long fromTopo, long fromStream, int limit) {
        String sql = THREADS + (onlyParticipated ? " AND (t.participated OR e.sender = :userId)" : "")
                + " ORDER BY l.topological_ordering DESC, l.stream_ordering DESC LIMIT :limit";
        return db.many(db.sql(sql).bind("roomId", roomId).bind("userId", userId).bind("fromTopo", fromTopo)
                .bind("fromStream", fromStream).bind("limit", limit), r -> new ThreadRootRow(EventRepository.map(r),
                        new EventRow(r.longValue("l_stream"), r.string("l_event_id"), roomId, r.string("l_type"),
                                r.string("l_state_key"), r.string("l_sender"), r.longValue("l_depth"),
                                r.longValue("l_topo"), r.longValue("l_ts"), r.string("l_json"),
                                r.string("l_txn_id"), r.string("l_device")),
                        r.longValue("replies"), r.bool("participated")));
    }

    /**
     * The room's events sent at or after {@code ts} (forwards, oldest first) or at or before it (backwards,
     * newest first), by origin_server_ts.
     */
    public Mono<List<EventRow>> closestToTimestamp(String roomId, long ts, boolean forwards, int limit) {
        String sql = CLOSEST + (forwards
                ? " AND e.origin_server_ts >= :ts ORDER BY e.origin_server_ts, e.stream_ordering"
                : " AND e.origin_server_ts <= :ts ORDER BY e.origin_server_ts DESC, e.stream_ordering DESC")
                + " LIMIT :limit";
        return db.many(db.sql(sql).bind("roomId", roomId).bind("ts", ts).bind("limit", limit),
                EventRepository::map);
    }
}
