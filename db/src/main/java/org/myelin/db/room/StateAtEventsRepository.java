package org.myelin.db.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Batched reads of historical state for many events at once: which state group follows each event, and a few
 * keys of many groups resolved in one recursive query. History visibility and {@code prev_content} need only one
 * or two keys per event, so loading each event's full state would be wasteful.
 */
public final class StateAtEventsRepository {

    private static final String GROUPS = """
            SELECT event_id, state_group FROM event_state_groups WHERE event_id = ANY(:ids)""";
    private static final String GROUPS_BEFORE = """
            SELECT event_id, before_group AS state_group FROM event_state_groups
            WHERE event_id = ANY(:ids) AND before_group IS NOT NULL""";
    private static final String RESOLVE = StateGroupSql.statesOf("groups",
            "WHERE (e.type, e.state_key) IN (SELECT * FROM unnest(:types::text[], :keys::text[]))");
    private static final String MEMBER_HISTORY = """
            SELECT topological_ordering, stream_ordering, CAST(json AS JSONB) -> 'content' ->> 'membership' AS m
            FROM events WHERE room_id = :roomId AND type = 'm.room.member' AND state_key = :userId
            AND NOT outlier AND rejected_reason IS NULL ORDER BY topological_ordering, stream_ordering""";

    private final Database db;

    public StateAtEventsRepository(Database db) {
        this.db = db;
    }

    /** The state group after each of these events; events without one are absent. */
    public Mono<Map<String, Long>> groupsOf(Collection<String> eventIds) {
        return groups(GROUPS, eventIds);
    }

    /** The state group before each of these events; events without one (outliers, create events) are absent. */
    public Mono<Map<String, Long>> groupsBefore(Collection<String> eventIds) {
        return groups(GROUPS_BEFORE, eventIds);
    }

    private Mono<Map<String, Long>> groups(String sql, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(sql).bind("ids", eventIds.toArray(String[]::new)),
                r -> Map.entry(r.string("event_id"), r.longValue("state_group")))
                .map(rows -> {
                    Map<String, Long> groups = new HashMap<>();
                    rows.forEach(e -> groups.put(e.getKey(), e.getValue()));
                    return groups;
                });
    }

    /** For each group, the entries of its full state at these keys (groups with none of them are absent). */
    public Mono<Map<Long, List<StateEntry>>> resolve(Collection<Long> groups, Collection<StateKey> keys) {
        if (groups.isEmpty() || keys.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(RESOLVE).bind("groups", groups.toArray(Long[]::new))
                .bind("types", keys.stream().map(StateKey::type).toArray(String[]::new))
                .bind("keys", keys.stream().map(StateKey::stateKey).toArray(String[]::new)),
                r -> Map.entry(r.longValue("origin"),
                        new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id"))))
                .map(rows -> {
                    Map<Long, List<StateEntry>> byGroup = new HashMap<>();
                    rows.forEach(e -> byGroup.computeIfAbsent(e.getKey(), g -> new ArrayList<>()).add(e.getValue()));
                    return byGroup;
                });
    }

    /** The user's accepted member events in the room, oldest first. */
    public Mono<List<MemberHistoryRow>> memberHistory(String roomId, String userId) {
        return db.many(db.sql(MEMBER_HISTORY).bind("roomId", roomId).bind("userId", userId),
                r -> new MemberHistoryRow(r.longValue("topological_ordering"), r.longValue("stream_ordering"),
                        r.string("m")));
    }
}
