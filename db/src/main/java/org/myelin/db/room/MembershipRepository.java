package org.myelin.db.room;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Each user's latest membership per room, kept in step with the room's current state. */
public final class MembershipRepository {

    private static final String UPSERT = """
            INSERT INTO room_memberships (room_id, user_id, membership, event_id, stream_ordering)
            VALUES (:roomId, :userId, :membership, :eventId, :stream)
            ON CONFLICT (room_id, user_id) DO UPDATE SET membership = EXCLUDED.membership,
                event_id = EXCLUDED.event_id, stream_ordering = EXCLUDED.stream_ordering, forgotten = FALSE""";
    /** Memberships from stored member events, each row's stream ordering its event's. */
    private static final String UPSERT_FROM_EVENTS = """
            INSERT INTO room_memberships (room_id, user_id, membership, event_id, stream_ordering)
            SELECT :roomId, u.user_id, u.membership, e.event_id, e.stream_ordering
            FROM unnest(:users::text[], :memberships::text[], :events::text[]) AS u(user_id, membership, event_id)
            JOIN events e ON e.event_id = u.event_id
            ON CONFLICT (room_id, user_id) DO UPDATE SET membership = EXCLUDED.membership,
                event_id = EXCLUDED.event_id, stream_ordering = EXCLUDED.stream_ordering, forgotten = FALSE""";
    private static final String SELECT = """
            SELECT room_id, user_id, membership, event_id, stream_ordering, forgotten FROM room_memberships""";
    private static final String FORGET = """
            UPDATE room_memberships SET forgotten = TRUE
            WHERE room_id = :roomId AND user_id = :userId AND membership IN ('leave', 'ban')""";
    private static final String SERVER_HAS = """
            SELECT EXISTS (SELECT 1 FROM room_memberships WHERE room_id = ANY(:roomIds)
                AND membership = ANY(:memberships)
                AND substring(user_id FROM position(':' IN user_id) + 1) = :server) AS present""";

    private static final String JOINED_SERVERS = """
            SELECT substring(user_id FROM position(':' IN user_id) + 1) AS server, count(*) AS members
            FROM room_memberships WHERE room_id = :roomId AND membership = 'join'
            GROUP BY 1 ORDER BY members DESC, server""";

    private final Database db;

    public MembershipRepository(Database db) {
        this.db = db;
    }

    /** Records the user's new membership; a new membership un-forgets the room. */
    public Mono<Void> put(MembershipRow row) {
        return db.update(db.sql(UPSERT).bind("roomId", row.roomId()).bind("userId", row.userId())
                .bind("membership", row.membership()).bind("eventId", row.eventId())
                .bind("stream", row.streamOrdering())).then();
    }

    /**
     * {@link #put} of many memberships in one statement, each from its stored member event (whose stream ordering
     * the row takes); each user at most once among them.
     */
    public Mono<Void> putAllFromEvents(String roomId, Collection<MemberEvent> members) {
        if (members.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(UPSERT_FROM_EVENTS).bind("roomId", roomId)
                .bind("users", members.stream().map(MemberEvent::userId).toArray(String[]::new))
                .bind("memberships", members.stream().map(MemberEvent::membership).toArray(String[]::new))
                .bind("events", members.stream().map(MemberEvent::eventId).toArray(String[]::new))).then();
    }

    public Mono<MembershipRow> find(String roomId, String userId) {
        return db.one(db.sql(SELECT + " WHERE room_id = :roomId AND user_id = :userId").bind("roomId", roomId)
                .bind("userId", userId), MembershipRepository::map);
    }

    /** The rooms in which the user's membership is {@code membership}. */
    public Mono<List<MembershipRow>> roomsOf(String userId, String membership) {
        return db.many(db.sql(SELECT + " WHERE user_id = :userId AND membership = :membership ORDER BY room_id")
                .bind("userId", userId).bind("membership", membership), MembershipRepository::map);
    }

    /** Every user with a membership in the room. */
    public Mono<List<MembershipRow>> members(String roomId) {
        return db.many(db.sql(SELECT + " WHERE room_id = :roomId ORDER BY user_id").bind("roomId", roomId),
                MembershipRepository::map);
    }

    /**
     * The servers of the room's joined members, those with the most members first (then by name): whom to ask
     * first about a room, as they are the likeliest to be up and to hold all of it.
     */
    public Mono<List<String>> joinedServers(String roomId) {
        return db.many(db.sql(JOINED_SERVERS).bind("roomId", roomId), r -> r.string("server"));
    }

    /** Marks a left or banned room as forgotten; emits false when the user is still in (or invited to) it. */
    public Mono<Boolean> forget(String roomId, String userId) {
        return db.update(db.sql(FORGET).bind("roomId", roomId).bind("userId", userId)).map(n -> n == 1);
    }

    /**
     * Whether a user of {@code server} has one of {@code memberships} in one of {@code roomIds} (a user ID's server
     * is everything after its first colon, as localparts hold none).
     */
    public Mono<Boolean> serverHas(Collection<String> roomIds, String server, Collection<String> memberships) {
        return db.one(db.sql(SERVER_HAS).bind("roomIds", roomIds.toArray(String[]::new)).bind("server", server)
                .bind("memberships", memberships.toArray(String[]::new)), r -> r.bool("present"));
    }

    private static MembershipRow map(Database.Row r) {
        return new MembershipRow(r.string("room_id"), r.string("user_id"), r.string("membership"),
                r.string("event_id"), r.longValue("stream_ordering"), r.bool("forgotten"));
    }
}
