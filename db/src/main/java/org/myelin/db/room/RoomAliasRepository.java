package org.myelin.db.room;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Local room aliases (#alias:this.server → room ID). */
public final class RoomAliasRepository {

    private static final String INSERT = """
            INSERT INTO room_aliases (room_alias, room_id, creator) VALUES (:alias, :roomId, :creator)
            ON CONFLICT (room_alias) DO NOTHING""";
    private static final String SELECT = "SELECT room_id FROM room_aliases WHERE room_alias = :alias";

    private final Database db;

    public RoomAliasRepository(Database db) {
        this.db = db;
    }

    /** Emits false when the alias is already taken. */
    public Mono<Boolean> create(String alias, String roomId, String creator) {
        return db.update(db.sql(INSERT).bind("alias", alias).bind("roomId", roomId).bind("creator", creator))
                .map(n -> n == 1);
    }

    /** The room the alias points at, if it exists. */
    public Mono<String> resolve(String alias) {
        return db.one(db.sql(SELECT).bind("alias", alias), r -> r.string("room_id"));
    }
}
