package org.myelin.db.room;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;
import org.myelin.federation.protocol.search.SearchKey;
import org.myelin.federation.protocol.search.SearchToken;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * The event search index ({@code event_search}, V22): a {@code tsvector} of each accepted event's searchable text
 * under a GIN index, made with the text search configuration in {@code event_search_settings}, and the searches
 * over it. {@link EventRepository#insert} indexes, {@link RedactionRepository#markRedacted} unindexes; a search
 * only ever sees accepted, unredacted events of rooms the searcher is joined to, left or was banned from.
 */
public final class EventSearchRepository {

    private static final String CONFIG = "(SELECT CAST(text_search_config AS regconfig) FROM event_search_settings)";
    /** How long a node keeps the configuration it read; a node started with another one rewrites it. */
    private static final Duration CONFIG_TTL = Duration.ofMinutes(1);
    private static final String INDEX = """
            INSERT INTO event_search (event_id, room_id, key, vector, origin_server_ts, stream_ordering)
            SELECT :eventId, :roomId, :key, to_tsvector(%s, v.text), :ts, :stream
            FROM (SELECT CAST(:json AS JSONB) #> CAST(:path AS TEXT[]) AS value,
                         CAST(:json AS JSONB) #>> CAST(:path AS TEXT[]) AS text) v
            WHERE jsonb_typeof(v.value) = 'string'
            ON CONFLICT (event_id) DO NOTHING""".formatted(CONFIG);
    private static final String REMOVE = "DELETE FROM event_search WHERE event_id = :eventId AND room_id = :roomId";
    /**
     * The parsed term. Both arguments are bound values, which PostgreSQL plans with (r2dbc's statements are
     * unnamed): the query folds to a constant whose selectivity the planner reads from the vectors' statistics, so
     * a rare term probes the GIN index (reading the configuration in a subquery here hid the term from the planner,
     * which then scanned the table).
     */
    private static final String TSQUERY = "websearch_to_tsquery(CAST(:config AS regconfig), :term)";
    private static final String RANK = "ts_rank_cd(s.vector, " + TSQUERY + ")";
    private static final String COLUMNS = """
            e.stream_ordering, e.event_id, e.room_id, e.type, e.state_key, e.sender, e.depth, e.topological_ordering,
            e.origin_server_ts, e.json, e.txn_id, e.sender_device_id""";
    private static final String FROM = """
             FROM event_search s JOIN events e ON e.event_id = s.event_id
            WHERE s.vector @@ %s
              AND s.room_id IN (SELECT room_id FROM room_memberships WHERE user_id = :userId
                                AND membership IN ('join', 'leave', 'ban') AND NOT forgotten)
              AND s.key = ANY(:keys)
              AND NOT e.outlier AND NOT e.soft_failed AND e.rejected_reason IS NULL AND e.redacted_by IS NULL
            """.formatted(TSQUERY);
    /** The words of the results' texts whose lexemes are among the term's: what a client should highlight. */
    private static final String HIGHLIGHTS = """
            SELECT DISTINCT t.token FROM event_search s JOIN events e ON e.event_id = s.event_id
            CROSS JOIN LATERAL ts_parse((SELECT cfgparser FROM pg_ts_config WHERE oid = CAST(:config AS regconfig)),
                                        CAST(e.json AS JSONB) #>> string_to_array(s.key, '.')) t
            WHERE s.event_id = ANY(:ids)
              AND tsvector_to_array(to_tsvector(CAST(:config AS regconfig), t.token))
                  && tsvector_to_array(to_tsvector(CAST(:config AS regconfig), :term))
            ORDER BY t.token""";

    private final Database db;
    private final Mono<String> config;

    public EventSearchRepository(Database db) {
        this.db = db;
        this.config = db.one(db.sql("SELECT text_search_config FROM event_search_settings"),
                r -> r.string("text_search_config")).cache(v -> CONFIG_TTL, e -> Duration.ZERO, () -> Duration.ZERO);
    }

    /** Indexes the event's searchable text, if its type has any and the field is a string. */
    Mono<Void> index(EventRow e) {
        return SearchKey.forEventType(e.type()).map(key -> db.update(db.sql(INDEX).bind("eventId", e.eventId())
                .bind("roomId", e.roomId()).bind("key", key.key()).bind("ts", e.originServerTs())
                .bind("stream", e.streamOrdering()).bind("json", e.json())
                .bind("path", new String[] {"content", key.contentField()})).then()).orElse(Mono.empty());
    }

    /** Takes a redacted event's text out of the index. */
    Mono<Void> remove(String roomId, String eventId) {
        return db.update(db.sql(REMOVE).bind("eventId", eventId).bind("roomId", roomId)).then();
    }

    /** The next page of candidates, best (or newest) first. */
    public Mono<List<SearchCandidate>> search(EventSearchQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(", ").append(RANK).append(" AS rank")
                .append(FROM);
        appendFilters(sql, q);
        if (q.after() != null) {
            sql.append(q.byRank() ? " AND (" + RANK + ", s.stream_ordering) < (:afterRank, :afterStream)"
                    : " AND (s.origin_server_ts, s.stream_ordering) < (:afterTs, :afterStream)");
        }
        sql.append(q.byRank() ? " ORDER BY rank DESC, s.stream_ordering DESC"
                : " ORDER BY s.origin_server_ts DESC, s.stream_ordering DESC").append(" LIMIT :limit");
        return config.flatMap(cfg -> {
            DatabaseClient.GenericExecuteSpec spec = bind(db.sql(sql.toString()), q, cfg).bind("limit", q.limit());
            if (q.after() != null) {
                spec = spec.bind("afterStream", q.after().stream());
                spec = q.byRank() ? spec.bind("afterRank", q.after().rank()) : spec.bind("afterTs", q.after().ts());
            }
            return db.many(spec, r -> candidate(r, q.byRank()));
        });
    }

    /** How many events match, before history visibility: the spec's approximate {@code count}. */
    public Mono<Long> count(EventSearchQuery q) {
        StringBuilder sql = new StringBuilder("SELECT count(*) AS n").append(FROM);
        appendFilters(sql, q);
        return config.flatMap(cfg -> db.one(bind(db.sql(sql.toString()), q, cfg), r -> r.longValue("n")));
    }

    /** The words of these events' indexed texts that match the term, for the answer's {@code highlights}. */
    public Mono<List<String>> highlights(String term, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Mono.just(List.of());
        }
        return config.flatMap(cfg -> db.many(db.sql(HIGHLIGHTS).bind("config", cfg).bind("term", term)
                .bind("ids", eventIds.toArray(String[]::new)), r -> r.string("token")));
    }

    /** The query plan of {@link #search}'s filtering, one line per row (tests check that the GIN index is used). */
    Mono<List<String>> plan(EventSearchQuery q) {
        StringBuilder sql = new StringBuilder("EXPLAIN SELECT e.event_id").append(FROM);
        appendFilters(sql, q);
        return config.flatMap(cfg -> db.many(bind(db.sql(sql.toString()), q, cfg), r -> r.string("QUERY PLAN")));
    }

    private static SearchCandidate candidate(Database.Row r, boolean byRank) {
        EventRow row = EventRepository.map(r);
        float rank = r.raw().get("rank", Float.class);
        return new SearchCandidate(row, rank, byRank ? SearchToken.afterRank(rank, row.streamOrdering())
                : SearchToken.afterRecent(row.originServerTs(), row.streamOrdering()));
    }

    private static void appendFilters(StringBuilder sql, EventSearchQuery q) {
        if (q.rooms() != null) {
            sql.append(" AND s.room_id = ANY(:rooms)");
        }
        if (!q.notRooms().isEmpty()) {
            sql.append(" AND s.room_id <> ALL(:notRooms)");
        }
        if (q.after() != null && q.after().room() != null) {
            sql.append(" AND s.room_id = :groupRoom");
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND e.type LIKE ANY(:types)");
        }
        if (!q.notTypes().isEmpty()) {
            sql.append(" AND NOT (e.type LIKE ANY(:notTypes))");
        }
        if (q.senders() != null) {
            sql.append(" AND e.sender = ANY(:senders)");
        }
        if (!q.notSenders().isEmpty()) {
            sql.append(" AND e.sender <> ALL(:notSenders)");
        }
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, EventSearchQuery q,
            String config) {
        spec = spec.bind("config", config).bind("term", q.term()).bind("userId", q.userId())
                .bind("keys", q.keys().toArray(String[]::new));
        spec = bindList(spec, "rooms", q.rooms(), q.rooms() != null);
        spec = bindList(spec, "notRooms", q.notRooms(), !q.notRooms().isEmpty());
        if (q.after() != null && q.after().room() != null) {
            spec = spec.bind("groupRoom", q.after().room());
        }
        spec = bindList(spec, "types", q.types(), !q.types().isEmpty());
        spec = bindList(spec, "notTypes", q.notTypes(), !q.notTypes().isEmpty());
        spec = bindList(spec, "senders", q.senders(), q.senders() != null);
        return bindList(spec, "notSenders", q.notSenders(), !q.notSenders().isEmpty());
    }

    private static DatabaseClient.GenericExecuteSpec bindList(DatabaseClient.GenericExecuteSpec spec, String name,
            List<String> values, boolean used) {
        return used ? spec.bind(name, values.toArray(String[]::new)) : spec;
    }
}
