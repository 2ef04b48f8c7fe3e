package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Rooms this server knows, and the row lock that serialises every write to one room across all nodes. */
public final class RoomRepository {

    private static final String INSERT = """
            INSERT INTO rooms (room_id, room_version, creator, is_public, created_ts)
            VALUES (:roomId, :version, :creator, :isPublic, :createdTs)
            ON CONFLICT (room_id) DO NOTHING""";
    private static final String SELECT = """
            SELECT room_id, room_version, creator, is_public, created_ts FROM rooms WHERE room_id = :roomId""";

    private final Database db;

    public RoomRepository(Database db) {
        this.db = db;
    }

    /** Emits true when the room was created, false when a room with this ID already existed. */
    public Mono<Boolean> insert(RoomRow room) {
        var spec = db.sql(INSERT).bind("roomId", room.roomId()).bind("version", room.roomVersion())
                .bind("isPublic", room.isPublic()).bind("createdTs", room.createdTs());
        return db.update(Database.bindNullable(spec, "creator", room.creator(), String.class)).map(n -> n == 1);
    }

    public Mono<RoomRow> find(String roomId) {
        return db.one(db.sql(SELECT).bind("roomId", roomId), RoomRepository::map);
    }

    /**
     * Locks the room's row until the surrounding transaction ends ({@code SELECT ... FOR UPDATE}); empty when the
     * room is unknown. Only meaningful inside {@link Database#inTransaction}.
     */
    public Mono<RoomRow> lock(String roomId) {
        return db.one(db.sql(SELECT + " FOR UPDATE").bind("roomId", roomId), RoomRepository::map);
    }

    private static RoomRow map(Database.Row r) {
        return new RoomRow(r.string("room_id"), r.string("room_version"), r.string("creator"), r.bool("is_public"),
                r.longValue("created_ts"));
    }
}
