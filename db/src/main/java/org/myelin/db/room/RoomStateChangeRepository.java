package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * When a room's current state changed, and to which state group: from a row's stream ordering on, the current state
 * is that group (V8 migration). /sync reads the state at a stream position from here.
 */
public final class RoomStateChangeRepository {

    private static final String INSERT = """
            INSERT INTO room_state_changes (room_id, stream_ordering, state_group)
            VALUES (:roomId, :stream, :group)""";
    private static final String LATEST = """
            SELECT state_group FROM room_state_changes WHERE room_id = :roomId
            ORDER BY stream_ordering DESC LIMIT 1""";
    private static final String AT = """
            SELECT state_group FROM room_state_changes WHERE room_id = :roomId AND stream_ordering <= :upTo
            ORDER BY stream_ordering DESC LIMIT 1""";

    private final Database db;

    public RoomStateChangeRepository(Database db) {
        this.db = db;
    }

    /** Records that the room's current state is {@code group} from stream position {@code stream} on. */
    public Mono<Void> record(String roomId, long stream, long group) {
        return db.update(db.sql(INSERT).bind("roomId", roomId).bind("stream", stream).bind("group", group)).then();
    }

    /** The group holding the room's current state as of stream position {@code upTo}; empty before the room. */
    public Mono<Long> at(String roomId, long upTo) {
        return db.one(db.sql(AT).bind("roomId", roomId).bind("upTo", upTo), r -> r.longValue("state_group"));
    }

    /** The group holding the room's current state now; empty for an unknown room. */
    public Mono<Long> current(String roomId) {
        return db.one(db.sql(LATEST).bind("roomId", roomId), r -> r.longValue("state_group"));
    }
}
