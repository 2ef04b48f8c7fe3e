package org.myelin.db.slidingsync;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateGroupSql;
import org.myelin.db.room.StateKey;
import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * The reads sliding sync makes of the room graph besides timelines: a user's rooms with what lists sort and filter
 * them by (one join with the trigger-kept {@code sliding_sync_rooms}), which of some rooms have events in a window,
 * the children of spaces, the state keys that changed in a window, and filtered reads of a current or past state.
 */
public final class SlidingRoomListRepository {

    /**
     * One membership of the user, with what a list needs of its room.
     *
     * @param sender        for a leave, who sent it (another user: a kick); null otherwise
     * @param bumpStamp     the stream ordering of the room's latest bump event; null when the room has none in the
     *                      live stream (e.g. a room joined over federation, whose earlier events are backfilled)
     * @param known         whether this server has the room (not only a remote invite)
     * @param encrypted     whether the current state has m.room.encryption (false for unknown rooms)
     * @param roomType      the create event's content.type, or null
     * @param strippedState for a room this server does not have, the stripped state of the invite (JSON array)
     */
    public record RoomListRow(String roomId, String membership, String eventId, long streamOrdering, String sender,
            Long bumpStamp, boolean known, boolean encrypted, String roomType, String strippedState) {
    }

    private static final String ACCEPTED = "NOT %1$s.outlier AND NOT %1$s.soft_failed AND %1$s.rejected_reason IS NULL";
    /** One index scan of the user's memberships joined with sliding_sync_rooms (V31); a leave's sender on the side. */
    private static final String ROOMS = """
            SELECT m.room_id, m.membership, m.event_id, m.stream_ordering,
                CASE WHEN m.membership = 'leave' THEN (SELECT e.sender FROM events e WHERE e.event_id = m.event_id)
                END AS sender,
                s.bump_stamp, s.room_id IS NOT NULL AS known, COALESCE(s.encrypted, FALSE) AS encrypted, s.room_type,
                CASE WHEN s.room_id IS NULL THEN (SELECT i.stripped_state FROM remote_invites i
                    WHERE i.room_id = m.room_id AND i.user_id = m.user_id) END AS stripped_state
            FROM room_memberships m LEFT JOIN sliding_sync_rooms s ON s.room_id = m.room_id
            WHERE m.user_id = :userId AND NOT m.forgotten AND m.stream_ordering <= :upTo""";
    private static final String WITH_EVENTS = """
            SELECT r.room_id FROM unnest(:rooms::text[]) AS r(room_id) WHERE EXISTS (SELECT 1 FROM events e
                WHERE e.room_id = r.room_id AND e.stream_ordering > :since AND e.stream_ordering <= :upTo AND %s)"""
            .formatted(ACCEPTED.formatted("e"));
    private static final String SPACE_CHILDREN = """
            SELECT c.state_key FROM current_state c JOIN events e ON e.event_id = c.event_id
            WHERE c.room_id = ANY(:spaces::text[]) AND c.type = 'm.space.child'
              AND jsonb_typeof((e.json::jsonb) -> 'content' -> 'via') = 'array'
              AND jsonb_array_length((e.json::jsonb) -> 'content' -> 'via') > 0""";
    /**
     * The keys of the window's accepted state events, and a row of NULLs if the current state also changed in the
     * window otherwise than by a state event's own state after it: the resolution of a fork (a new group at a
     * message's or state event's position) or a state taken over at a join.
     */
    private static final String STATE_CHANGES = """
            SELECT DISTINCT e.type, e.state_key FROM events e
            WHERE e.room_id = :roomId AND e.stream_ordering > :since AND e.stream_ordering <= :upTo
              AND e.state_key IS NOT NULL AND %s
            UNION ALL
            SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM room_state_changes c WHERE c.room_id = :roomId
                AND c.stream_ordering > :since AND c.stream_ordering <= :upTo AND NOT EXISTS (SELECT 1 FROM events e
                    JOIN event_state_groups g ON g.event_id = e.event_id
                    WHERE e.stream_ordering = c.stream_ordering AND e.state_key IS NOT NULL
                      AND g.state_group = c.state_group))""".formatted(ACCEPTED.formatted("e"));
    private static final String CURRENT_STATE = "SELECT e.type, e.state_key, e.event_id FROM current_state e"
            + " WHERE e.room_id = :roomId";

    private final Database db;

    public SlidingRoomListRepository(Database db) {
        this.db = db;
    }

    /** Every membership of the user that is not forgotten, as of {@code upTo}. */
    public Mono<List<RoomListRow>> rooms(String userId, long upTo) {
        return db.many(db.sql(ROOMS).bind("userId", userId).bind("upTo", upTo), r -> new RoomListRow(
                r.string("room_id"), r.string("membership"), r.string("event_id"), r.longValue("stream_ordering"),
                r.string("sender"), r.longValue("bump_stamp"), r.bool("known"), r.bool("encrypted"),
                r.string("room_type"), r.string("stripped_state")));
    }

    /** Those of {@code roomIds} with an accepted event in {@code (since, upTo]} (one index probe per room). */
    public Mono<Set<String>> withEvents(Collection<String> roomIds, long since, long upTo) {
        if (roomIds.isEmpty() || upTo <= since) {
            return Mono.just(Set.of());
        }
        return db.many(db.sql(WITH_EVENTS).bind("rooms", roomIds.toArray(String[]::new)).bind("since", since)
                .bind("upTo", upTo), r -> r.string("room_id")).map(HashSet::new);
    }

    /** The rooms named by an {@code m.space.child} event with a non-empty {@code via} in the spaces' current state. */
    public Mono<Set<String>> spaceChildren(Collection<String> spaceIds) {
        if (spaceIds.isEmpty()) {
            return Mono.just(Set.of());
        }
        return db.many(db.sql(SPACE_CHILDREN).bind("spaces", spaceIds.toArray(String[]::new)),
                r -> r.string("state_key")).map(HashSet::new);
    }

    /**
     * The (type, state_key) of the room's accepted state events in {@code (since, upTo]}, or empty when the
     * current state changed in the window otherwise (state resolution), so that only a comparison of the two states
     * tells what changed.
     */
    public Mono<Optional<List<StateKey>>> stateEventsIn(String roomId, long since, long upTo) {
        return db.many(db.sql(STATE_CHANGES).bind("roomId", roomId).bind("since", since).bind("upTo", upTo),
                r -> Optional.ofNullable(r.string("type")).map(type -> new StateKey(type, r.string("state_key"))))
                .map(rows -> rows.stream().anyMatch(Optional::isEmpty) ? Optional.empty()
                        : Optional.of(rows.stream().map(Optional::get).toList()));
    }

    /** The entries of the room's current state that {@code query} takes. */
    public Mono<List<StateEntry>> currentState(String roomId, StateQuery query) {
        if (query.isEmpty()) {
            return Mono.just(List.of());
        }
        String where = query.where();
        String sql = CURRENT_STATE + (where.isEmpty() ? "" : " AND (" + where.substring("WHERE ".length()) + ")");
        return db.many(query.bind(db.sql(sql).bind("roomId", roomId)), SlidingRoomListRepository::entry);
    }

    /** The entries of state group {@code group} that {@code query} takes. */
    public Mono<List<StateEntry>> groupState(long group, StateQuery query) {
        if (query.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.many(query.bind(db.sql(StateGroupSql.stateOf("group", query.where())).bind("group", group)),
                SlidingRoomListRepository::entry);
    }

    private static StateEntry entry(Database.Row r) {
        return new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id"));
    }
}
