package org.myelin.db.ephemeral;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient;

import reactor.core.publisher.Mono;

/** The few membership and existence checks the ephemeral streams need, each one indexed lookup. */
public final class MembershipQueries {

    private static final String JOINED = "SELECT EXISTS (SELECT 1 FROM room_memberships "
            + "WHERE room_id = :roomId AND user_id = :userId AND membership = 'join') AS yes";
    private static final String SHARE = """
            SELECT EXISTS (SELECT 1 FROM room_memberships a JOIN room_memberships b ON b.room_id = a.room_id
                WHERE a.user_id = :a AND a.membership = 'join' AND b.user_id = :b AND b.membership = 'join') AS yes""";
    private static final String EVENT_IN_ROOM = "SELECT EXISTS (SELECT 1 FROM events "
            + "WHERE event_id = :eventId AND room_id = :roomId) AS yes";
    private static final String USER_EXISTS = "SELECT EXISTS (SELECT 1 FROM users WHERE user_id = :userId) AS yes";

    private final Database db;

    public MembershipQueries(Database db) {
        this.db = db;
    }

    /** Whether the user is joined to the room now. */
    public Mono<Boolean> isJoined(String roomId, String userId) {
        return exists(db.sql(JOINED).bind("roomId", roomId).bind("userId", userId));
    }

    /** Whether the two users are both joined to at least one room. */
    public Mono<Boolean> shareRoom(String a, String b) {
        return exists(db.sql(SHARE).bind("a", a).bind("b", b));
    }

    /** Whether this server holds the event, in that room. */
    public Mono<Boolean> eventInRoom(String eventId, String roomId) {
        return exists(db.sql(EVENT_IN_ROOM).bind("eventId", eventId).bind("roomId", roomId));
    }

    /** Whether the user has an account here. */
    public Mono<Boolean> userExists(String userId) {
        return exists(db.sql(USER_EXISTS).bind("userId", userId));
    }

    private Mono<Boolean> exists(DatabaseClient.GenericExecuteSpec spec) {
        return db.one(spec, r -> r.bool("yes")).defaultIfEmpty(false);
    }
}
