package org.myelin.db.room;

import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** Local room aliases (#alias:this.server → room ID) and who created each. */
public final class RoomAliasRepository {

    private static final String INSERT = """
            INSERT INTO room_aliases (room_alias, room_id, creator) VALUES (:alias, :roomId, :creator)
            ON CONFLICT (room_alias) DO NOTHING""";
    private static final String SELECT = "SELECT room_alias, room_id, creator FROM room_aliases";
    private static final String DELETE = "DELETE FROM room_aliases WHERE room_alias = :alias";
    private static final String MOVE = "UPDATE room_aliases SET room_id = :to WHERE room_id = :from";

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
        return find(alias).map(AliasRow::roomId);
    }

    /** The alias with its room and creator, if it exists. */
    public Mono<AliasRow> find(String alias) {
        return db.one(db.sql(SELECT + " WHERE room_alias = :alias").bind("alias", alias), RoomAliasRepository::map);
    }

    /** Emits false when there was no such alias. */
    public Mono<Boolean> delete(String alias) {
        return db.update(db.sql(DELETE).bind("alias", alias)).map(n -> n == 1);
    }

    /** The aliases pointing at the room, in alias order. */
    public Mono<List<String>> aliasesOf(String roomId) {
        return db.many(db.sql(SELECT + " WHERE room_id = :roomId ORDER BY room_alias").bind("roomId", roomId),
                r -> r.string("room_alias"));
    }

    /** Points every alias of room {@code from} at room {@code to} (a room upgrade); emits how many moved. */
    public Mono<Long> move(String from, String to) {
        return db.update(db.sql(MOVE).bind("from", from).bind("to", to));
    }

    private static AliasRow map(Database.Row r) {
        return new AliasRow(r.string("room_alias"), r.string("room_id"), r.string("creator"));
    }
}
