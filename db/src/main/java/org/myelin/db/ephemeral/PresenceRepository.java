package org.myelin.db.ephemeral;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Presence ({@code presence}): one row per user. Who may see whose presence is decided by shared rooms in the same
 * query that reads the changes, so a write never fans out to the users who will see it.
 */
public final class PresenceRepository {

    /** A user's stored presence; {@code statusMsg} may be null. */
    public record Presence(String userId, String state, String statusMsg, long lastActiveTs) {
    }

    private static final String COLUMNS = "SELECT user_id, state, status_msg, last_active_ts FROM presence";
    private static final String UPSERT = """
            INSERT INTO presence (user_id, state, status_msg, last_active_ts, stream_id)
            VALUES (:userId, :state, :statusMsg, :lastActive, :stream)
            ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, status_msg = EXCLUDED.status_msg,
                last_active_ts = EXCLUDED.last_active_ts, stream_id = EXCLUDED.stream_id""";
    private static final String TOUCH = "UPDATE presence SET last_active_ts = :lastActive WHERE user_id = :userId";
    /*
     * Changed rows first (presence_stream index), then one EXISTS over room_memberships' (user_id, membership)
     * index per changed row: the cost follows the number of changes, not the number of rooms or members.
     */
    private static final String VISIBLE_CHANGES = COLUMNS + """
             p WHERE p.stream_id > :since AND p.stream_id <= :upTo
              AND (p.user_id = :viewer OR EXISTS (
                  SELECT 1 FROM room_memberships mine JOIN room_memberships theirs ON theirs.room_id = mine.room_id
                  WHERE mine.user_id = :viewer AND mine.membership = 'join'
                    AND theirs.user_id = p.user_id AND theirs.membership = 'join'))
            ORDER BY p.stream_id""";

    /* The rooms' joined members (room_memberships_room index), then their presence rows by primary key. */
    private static final String IN_ROOMS = COLUMNS + """
             p WHERE p.stream_id <= :upTo AND p.user_id IN (
                  SELECT user_id FROM room_memberships WHERE room_id = ANY(:rooms) AND membership = 'join')
            ORDER BY p.stream_id""";

    private final Database db;

    public PresenceRepository(Database db) {
        this.db = db;
    }

    /** The user's presence, or empty when none was ever set. */
    public Mono<Presence> find(String userId) {
        return db.one(db.sql(COLUMNS + " WHERE user_id = :userId").bind("userId", userId),
                PresenceRepository::map);
    }

    /** Stores a new presence under {@code position}. */
    public Mono<Void> put(Presence presence, long position) {
        return db.update(Database.bindNullable(db.sql(UPSERT).bind("userId", presence.userId())
                .bind("state", presence.state()).bind("lastActive", presence.lastActiveTs())
                .bind("stream", position), "statusMsg", presence.statusMsg(), String.class)).then();
    }

    /** Records activity without a new position: readers compute last_active_ago from it when they next look. */
    public Mono<Void> touch(String userId, long lastActiveTs) {
        return db.update(db.sql(TOUCH).bind("userId", userId).bind("lastActive", lastActiveTs)).then();
    }

    /** Presence changed in {@code (since, upTo]} of the viewer and of users sharing a joined room with them. */
    public Mono<List<Presence>> visibleChanges(String viewer, long since, long upTo) {
        return db.many(db.sql(VISIBLE_CHANGES).bind("viewer", viewer).bind("since", since).bind("upTo", upTo),
                PresenceRepository::map);
    }

    /** The presence, as of {@code upTo}, of the members joined to {@code roomIds}. */
    public Mono<List<Presence>> inRooms(Collection<String> roomIds, long upTo) {
        return db.many(db.sql(IN_ROOMS).bind("rooms", roomIds.toArray(String[]::new)).bind("upTo", upTo),
                PresenceRepository::map);
    }

    private static Presence map(Database.Row r) {
        return new Presence(r.string("user_id"), r.string("state"), r.string("status_msg"),
                r.longValue("last_active_ts"));
    }
}
