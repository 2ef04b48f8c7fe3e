package org.myelin.db.e2ee;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * The "device_lists" stream ({@code device_list_changes}) and who learns of its changes: a change of a user's
 * devices or cross-signing keys concerns everyone sharing a room with them (and themselves), unless it is
 * {@code visible_to} one user only.
 */
public final class DeviceListRepository {

    /** A change of {@code userId}'s device {@code deviceId} (null: their cross-signing keys), seen by whom. */
    public record Change(String userId, String deviceId, String visibleTo) {
    }

    /**
     * A user whose membership moved in the viewer's rooms, or who shares a room the viewer's membership moved in.
     *
     * @param membership the membership that moved: the user's own, or the viewer's when the viewer moved
     * @param sharesRoom whether the user and the viewer are both joined to some room now
     */
    public record MembershipMove(String userId, String membership, boolean sharesRoom) {
    }

    private static final String INSERT = """
            INSERT INTO device_list_changes (stream_id, user_id, device_id, visible_to)
            SELECT * FROM unnest(CAST(:ids AS BIGINT[]), CAST(:users AS TEXT[]), CAST(:devices AS TEXT[]),
                                 CAST(:visibleTo AS TEXT[]))""";
    private static final String SHARES = """
            EXISTS (SELECT 1 FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
                    WHERE a.user_id = :me AND a.membership = 'join' AND b.user_id = %s AND b.membership = 'join')""";
    /*
     * Who may see which change: for a short window, one indexed EXISTS per change; for a long one (a client back after
     * a while on a busy server), the users sharing a room with the viewer once, hashed, so the cost follows the
     * window's rows and not rows times probes (5,000 room-mates, 50,000 other changes: ~15 ms instead of ~300 ms;
     * one change: 0.2 ms instead of ~5 ms).
     */
    private static final String CHANGED = """
            SELECT DISTINCT c.user_id FROM device_list_changes c
            WHERE c.stream_id > :since AND c.stream_id <= :upTo
              AND (c.visible_to = :me OR (c.visible_to IS NULL AND (c.user_id = :me OR %s)))
            ORDER BY c.user_id""".formatted(SHARES.formatted("c.user_id"));
    private static final String CHANGED_IN_WIDE_WINDOW = """
            WITH shared AS (
                SELECT b.user_id FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
                WHERE a.user_id = :me AND a.membership = 'join' AND b.membership = 'join'
            )
            SELECT DISTINCT c.user_id FROM device_list_changes c
            WHERE c.stream_id > :since AND c.stream_id <= :upTo
              AND (c.visible_to = :me OR (c.visible_to IS NULL AND (c.user_id = :me
                   OR c.user_id IN (SELECT user_id FROM shared))))
            ORDER BY c.user_id""";
    /** Windows of more positions than this read the viewer's room-mates once instead of probing per change. */
    static final long WIDE_WINDOW = 1000;
    /*
     * Member events in (since, upTo] of the rooms the viewer is joined to or whose membership of theirs moved in the
     * window: another user's event names that user; the viewer's own names every member joined to that room now.
     */
    private static final String MOVES = """
            WITH mine AS (
                SELECT room_id FROM room_memberships
                WHERE user_id = :me AND (membership = 'join' OR stream_ordering > :since)
            ), moves AS (
                SELECT e.room_id, e.state_key AS target,
                       CAST(e.json AS JSONB) -> 'content' ->> 'membership' AS membership
                FROM mine JOIN events e ON e.room_id = mine.room_id
                WHERE e.type = 'm.room.member' AND e.stream_ordering > :since AND e.stream_ordering <= :upTo
                  AND NOT e.outlier AND e.rejected_reason IS NULL
            ), moved AS (
                SELECT target AS user_id, membership FROM moves WHERE target <> :me
                UNION
                SELECT r.user_id, m.membership FROM moves m
                JOIN room_memberships r ON r.room_id = m.room_id AND r.membership = 'join'
                WHERE m.target = :me AND r.user_id <> :me
            )
            SELECT user_id, membership, %s AS shares FROM moved""".formatted(SHARES.formatted("moved.user_id"));
    /* Changes of devices only (device_id set): the chain of m.device_list_update EDUs, cross-signing aside. */
    private static final String PREVIOUS_DEVICE_CHANGE = """
            SELECT stream_id FROM device_list_changes
            WHERE user_id = :userId AND device_id IS NOT NULL AND visible_to IS NULL AND stream_id < :before
            ORDER BY stream_id DESC LIMIT 1""";
    private static final String JOINED_ROOMS = """
            SELECT room_id FROM room_memberships WHERE user_id = :userId AND membership = 'join' ORDER BY room_id""";

    private final Database db;

    public DeviceListRepository(Database db) {
        this.db = db;
    }

    /** Stores {@code changes} under the positions {@code (lastPosition - size, lastPosition]}, in order. */
    public Mono<Void> insert(List<Change> changes, long lastPosition) {
        int n = changes.size();
        Long[] ids = new Long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = lastPosition - n + 1 + i;
        }
        return db.update(db.sql(INSERT).bind("ids", ids)
                .bind("users", changes.stream().map(Change::userId).toArray(String[]::new))
                .bind("devices", changes.stream().map(Change::deviceId).toArray(String[]::new))
                .bind("visibleTo", changes.stream().map(Change::visibleTo).toArray(String[]::new))).then();
    }

    /** The users whose changes in {@code (since, upTo]} {@code viewer} may see and shares a room with now. */
    public Mono<List<String>> changed(String viewer, long since, long upTo) {
        String sql = upTo - since > WIDE_WINDOW ? CHANGED_IN_WIDE_WINDOW : CHANGED;
        return db.many(db.sql(sql).bind("me", viewer).bind("since", since).bind("upTo", upTo),
                r -> r.string("user_id"));
    }

    /** Memberships that moved in {@code (since, upTo]} of the room events stream, as they concern {@code viewer}. */
    public Mono<List<MembershipMove>> membershipMoves(String viewer, long since, long upTo) {
        return db.many(db.sql(MOVES).bind("me", viewer).bind("since", since).bind("upTo", upTo),
                r -> new MembershipMove(r.string("user_id"), r.string("membership"), r.bool("shares")));
    }

    /**
     * The position of the user's last device change before {@code before} (Long.MAX_VALUE: the last of all);
     * empty when there was none.
     */
    public Mono<Long> previousDeviceChange(String userId, long before) {
        return db.one(db.sql(PREVIOUS_DEVICE_CHANGE).bind("userId", userId).bind("before", before),
                r -> r.longValue("stream_id"));
    }

    /** The rooms the user is joined to now: the scopes a change of their devices is published under. */
    public Mono<List<String>> joinedRooms(String userId) {
        return db.many(db.sql(JOINED_ROOMS).bind("userId", userId), r -> r.string("room_id"));
    }
}
