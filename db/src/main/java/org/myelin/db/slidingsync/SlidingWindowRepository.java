package org.myelin.db.slidingsync;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventRepository;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.MemberHistoryRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/**
 * The reads of a sliding sync window, each one query for all of its rooms instead of one per room: what decides
 * the user's read scope (the room's version, the user's membership, the current history visibility, the user's
 * member events), the latest events of every room's window, the member counts and heroes, and filtered reads of
 * the current states. Each answers per room what the per-room reads of {@code SyncRepository},
 * {@code StateAtEventsRepository} and {@link SlidingRoomListRepository} answer.
 */
public final class SlidingWindowRepository {

    /**
     * What decides a user's read scope of one room.
     *
     * @param membership        the user's membership row, or null without one
     * @param historyVisibility the current {@code m.room.history_visibility} content's value, or null
     */
    public record ScopeRow(String roomId, String roomVersion, MembershipRow membership, String historyVisibility) {
    }

    /** One room's timeline window: its accepted events in {@code (since, upTo]}, at most {@code limit}. */
    public record TimelineWindow(String roomId, long since, long upTo, int limit) {
    }

    private static final String SCOPES = """
            SELECT r.room_id, r.room_version, m.membership, m.event_id, m.stream_ordering, m.forgotten,
                (SELECT CASE WHEN jsonb_typeof((e.json::jsonb) -> 'content' -> 'history_visibility') = 'string'
                        THEN (e.json::jsonb) -> 'content' ->> 'history_visibility' END
                 FROM current_state c JOIN events e ON e.event_id = c.event_id
                 WHERE c.room_id = r.room_id AND c.type = 'm.room.history_visibility' AND c.state_key = '')
                AS history_visibility
            FROM rooms r LEFT JOIN room_memberships m ON m.room_id = r.room_id AND m.user_id = :userId
            WHERE r.room_id = ANY(:rooms::text[])""";
    private static final String MEMBER_HISTORIES = """
            SELECT room_id, topological_ordering, stream_ordering,
                CAST(json AS JSONB) -> 'content' ->> 'membership' AS m
            FROM events WHERE room_id = ANY(:rooms::text[]) AND type = 'm.room.member' AND state_key = :userId
            AND NOT outlier AND rejected_reason IS NULL ORDER BY room_id, topological_ordering, stream_ordering""";
    /** Per room the same index range scan as SyncRepository.latest, its bounds and limit from the arrays. */
    private static final String LATEST = """
            SELECT e.* FROM unnest(:rooms::text[], :since::bigint[], :upTo::bigint[], :limits::int[])
                AS w(room_id, since, up_to, lim)
            CROSS JOIN LATERAL (SELECT stream_ordering, event_id, room_id, type, state_key, sender, depth,
                    topological_ordering, origin_server_ts, json, txn_id, sender_device_id FROM events
                WHERE room_id = w.room_id AND stream_ordering > w.since AND stream_ordering <= w.up_to
                  AND NOT outlier AND NOT soft_failed AND rejected_reason IS NULL
                  AND (state_key IS NOT NULL OR sender <> ALL(:hidden::text[]))
                ORDER BY stream_ordering DESC LIMIT w.lim) e""";
    private static final String COUNTS = """
            SELECT room_id, membership, COUNT(*) AS n FROM room_memberships
            WHERE room_id = ANY(:rooms::text[]) AND membership IN ('join', 'invite') GROUP BY room_id, membership""";
    private static final String HEROES = """
            SELECT room_id, user_id FROM (
                SELECT room_id, user_id, stream_ordering,
                    row_number() OVER (PARTITION BY room_id ORDER BY stream_ordering) AS n
                FROM room_memberships WHERE room_id = ANY(:rooms::text[]) AND user_id <> :userId
                  AND membership = ANY(:memberships::text[])) m
            WHERE n <= :limit ORDER BY room_id, stream_ordering""";
    private static final String CURRENT_STATE = "SELECT e.room_id, e.type, e.state_key, e.event_id"
            + " FROM current_state e WHERE e.room_id = ANY(:windowRooms::text[])";

    private final Database db;

    public SlidingWindowRepository(Database db) {
        this.db = db;
    }

    /** For each of the rooms this server has, what decides the user's scope; unknown rooms are absent. */
    public Mono<Map<String, ScopeRow>> scopes(String userId, Collection<String> roomIds) {
        if (roomIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(SCOPES).bind("userId", userId).bind("rooms", roomIds.toArray(String[]::new)), r -> {
            String roomId = r.string("room_id");
            MembershipRow membership = r.string("membership") == null ? null
                    : new MembershipRow(roomId, userId, r.string("membership"), r.string("event_id"),
                            r.longValue("stream_ordering"), r.bool("forgotten"));
            return new ScopeRow(roomId, r.string("room_version"), membership, r.string("history_visibility"));
        }).map(rows -> {
            Map<String, ScopeRow> out = new HashMap<>();
            rows.forEach(row -> out.put(row.roomId(), row));
            return out;
        });
    }

    /** Per room, the user's accepted member events, oldest first; rooms without one are absent. */
    public Mono<Map<String, List<MemberHistoryRow>>> memberHistories(String userId, Collection<String> roomIds) {
        if (roomIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(MEMBER_HISTORIES).bind("userId", userId).bind("rooms", roomIds.toArray(String[]::new)),
                r -> Map.entry(r.string("room_id"), new MemberHistoryRow(r.longValue("topological_ordering"),
                        r.longValue("stream_ordering"), r.string("m"))))
                .map(SlidingWindowRepository::group);
    }

    /**
     * Per window, its latest accepted events, newest first, without the non-state events of {@code hidden}
     * senders; windows without events are absent.
     */
    public Mono<Map<String, List<EventRow>>> latest(List<TimelineWindow> windows, Collection<String> hidden) {
        if (windows.isEmpty()) {
            return Mono.just(Map.of());
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(LATEST)
                .bind("rooms", windows.stream().map(TimelineWindow::roomId).toArray(String[]::new))
                .bind("since", windows.stream().map(TimelineWindow::since).toArray(Long[]::new))
                .bind("upTo", windows.stream().map(TimelineWindow::upTo).toArray(Long[]::new))
                .bind("limits", windows.stream().map(TimelineWindow::limit).toArray(Integer[]::new))
                .bind("hidden", hidden.toArray(String[]::new));
        return db.many(spec, r -> Map.entry(r.string("room_id"), EventRepository.map(r)))
                .map(SlidingWindowRepository::group);
    }

    /** Per room, the number of joined and invited members now: {@code [joined, invited]}. */
    public Mono<Map<String, long[]>> memberCounts(Collection<String> roomIds) {
        if (roomIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(COUNTS).bind("rooms", roomIds.toArray(String[]::new)),
                r -> new Object[] {r.string("room_id"), r.string("membership"), r.longValue("n")}).map(rows -> {
                    Map<String, long[]> out = new HashMap<>();
                    roomIds.forEach(roomId -> out.put(roomId, new long[2]));
                    for (Object[] row : rows) {
                        out.get((String) row[0])["join".equals(row[1]) ? 0 : 1] = (Long) row[2];
                    }
                    return out;
                });
    }

    /**
     * Per room, up to {@code limit} members other than {@code userId} with one of {@code memberships}, in stream
     * order; rooms with none are absent.
     */
    public Mono<Map<String, List<String>>> heroes(Collection<String> roomIds, String userId, int limit,
            List<String> memberships) {
        if (roomIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.many(db.sql(HEROES).bind("rooms", roomIds.toArray(String[]::new)).bind("userId", userId)
                .bind("limit", limit).bind("memberships", memberships.toArray(String[]::new)),
                r -> Map.entry(r.string("room_id"), r.string("user_id"))).map(SlidingWindowRepository::group);
    }

    /**
     * Per room, the entries of its current state that its query takes (one read of what any of them takes,
     * sorted out per room); rooms with none are absent.
     */
    public Mono<Map<String, List<StateEntry>>> currentStates(Map<String, StateQuery> queries) {
        Map<String, StateQuery> wanted = new HashMap<>(queries);
        wanted.values().removeIf(StateQuery::isEmpty);
        if (wanted.isEmpty()) {
            return Mono.just(Map.of());
        }
        StateQuery any = StateQuery.anyOf(wanted.values());
        String where = any.where();
        String sql = CURRENT_STATE + (where.isEmpty() ? "" : " AND (" + where.substring("WHERE ".length()) + ")");
        return db.many(any.bind(db.sql(sql).bind("windowRooms", wanted.keySet().toArray(String[]::new))),
                r -> Map.entry(r.string("room_id"),
                        new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id"))))
                .map(rows -> {
                    Map<String, List<StateEntry>> out = new HashMap<>();
                    for (Map.Entry<String, StateEntry> row : rows) {
                        StateEntry entry = row.getValue();
                        if (wanted.get(row.getKey()).matches(entry.type(), entry.stateKey())) {
                            out.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(entry);
                        }
                    }
                    return out;
                });
    }

    private static <T> Map<String, List<T>> group(List<Map.Entry<String, T>> rows) {
        Map<String, List<T>> out = new HashMap<>();
        rows.forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }
}
