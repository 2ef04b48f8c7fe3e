package org.myelin.db.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.myelin.db.support.Database;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

import reactor.core.publisher.Mono;

/**
 * The published room directory: which rooms are listed ({@code rooms.is_public}) and the summary of each listed
 * room, read from its current state. Only rooms someone could join or read are listed (public or knock join rules,
 * or world-readable history), as Synapse does, so publishing an invite-only room does not expose it.
 */
public final class RoomDirectoryRepository {

    private static final String SET_PUBLIC = "UPDATE rooms SET is_public = :isPublic WHERE room_id = :roomId";
    private static final String SERVERS = """
            SELECT DISTINCT substring(user_id FROM position(':' IN user_id) + 1) AS server FROM room_memberships
            WHERE room_id = :roomId AND membership = 'join' ORDER BY server""";
    private static final String VISIBLE = """
            WITH summary AS (
                SELECT r.room_id, s.name, s.topic, s.canonical_alias, s.avatar_url, s.join_rule,
                       s.history_visibility, s.guest_access, s.room_type,
                       (SELECT count(*) FROM room_memberships m
                        WHERE m.room_id = r.room_id AND m.membership = 'join') AS joined
                FROM rooms r CROSS JOIN LATERAL (
                    SELECT %s
                    FROM current_state c JOIN events e ON e.event_id = c.event_id
                    WHERE c.room_id = r.room_id AND c.state_key = ''
                ) s
                WHERE r.is_public
            ), visible AS (
                SELECT * FROM summary
                WHERE (join_rule IN ('public', 'knock', 'knock_restricted') OR history_visibility = 'world_readable')
                  AND (CAST(:pattern AS TEXT) IS NULL OR name ILIKE :pattern OR topic ILIKE :pattern
                       OR canonical_alias ILIKE :pattern)
                  AND (:anyType OR room_type = ANY(CAST(:types AS TEXT[])) OR (:untyped AND room_type IS NULL))
            )
            """.formatted(String.join(",\n", field("m.room.name", "name", "name"),
            field("m.room.topic", "topic", "topic"), field("m.room.canonical_alias", "alias", "canonical_alias"),
            field("m.room.avatar", "url", "avatar_url"), field("m.room.join_rules", "join_rule", "join_rule"),
            field("m.room.history_visibility", "history_visibility", "history_visibility"),
            field("m.room.guest_access", "guest_access", "guest_access"),
            field("m.room.create", "type", "room_type")));
    private static final String PAGE = VISIBLE + """
            SELECT v.*, (SELECT count(*) FROM visible) AS total FROM visible v
            WHERE CAST(:fromRoom AS TEXT) IS NULL OR %s
            ORDER BY %s LIMIT :limit""";
    private static final String FORWARD = PAGE.formatted(
            "v.joined < :fromJoined OR (v.joined = :fromJoined AND v.room_id > :fromRoom)", "v.joined DESC, v.room_id");
    private static final String BACKWARD = PAGE.formatted(
            "v.joined > :fromJoined OR (v.joined = :fromJoined AND v.room_id < :fromRoom)",
            "v.joined, v.room_id DESC");
    private static final String COUNT = VISIBLE + "SELECT count(*) AS total FROM visible";

    private final Database db;

    public RoomDirectoryRepository(Database db) {
        this.db = db;
    }

    /** Lists or unlists the room; emits false when the room is unknown. */
    public Mono<Boolean> setPublic(String roomId, boolean isPublic) {
        return db.update(db.sql(SET_PUBLIC).bind("roomId", roomId).bind("isPublic", isPublic)).map(n -> n == 1);
    }

    /** One page of listed rooms, in directory order (also when paging backwards). */
    public Mono<List<PublicRoomRow>> page(PublicRoomsQuery query) {
        var spec = filters(db.sql(query.backwards() ? BACKWARD : FORWARD), query).bind("limit", query.limit());
        PublicRoomsQuery.Position from = query.from();
        spec = Database.bindNullable(spec, "fromRoom", from == null ? null : from.roomId(), String.class);
        spec = Database.bindNullable(spec, "fromJoined", from == null ? null : from.joinedMembers(), Long.class);
        return db.many(spec, RoomDirectoryRepository::map).map(rows -> {
            if (!query.backwards()) {
                return rows;
            }
            List<PublicRoomRow> reversed = new ArrayList<>(rows);
            Collections.reverse(reversed);
            return reversed;
        });
    }

    /** How many listed rooms match the query's filters (its position and limit are ignored). */
    public Mono<Long> count(PublicRoomsQuery query) {
        return db.one(filters(db.sql(COUNT), query), r -> r.longValue("total"));
    }

    /** The servers of the room's joined members. */
    public Mono<List<String>> serversOf(String roomId) {
        return db.many(db.sql(SERVERS).bind("roomId", roomId), r -> r.string("server"));
    }

    private static GenericExecuteSpec filters(GenericExecuteSpec spec, PublicRoomsQuery query) {
        String pattern = query.searchTerm() == null ? null : "%" + escapeLike(query.searchTerm()) + "%";
        List<String> types = query.roomTypes() == null ? List.of() : query.roomTypes();
        return Database.bindNullable(spec, "pattern", pattern, String.class)
                .bind("anyType", query.roomTypes() == null).bind("types", types.toArray(String[]::new))
                .bind("untyped", query.includeUntyped());
    }

    /** Escapes LIKE's wildcards so the term matches literally (backslash is PostgreSQL's default escape). */
    static String escapeLike(String term) {
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A string field of one room-wide state event's content, null when absent or not a string. */
    private static String field(String type, String key, String column) {
        String value = "(e.json::jsonb -> 'content' -> '" + key + "')";
        return "max(CASE WHEN c.type = '" + type + "' AND jsonb_typeof" + value + " = 'string' THEN " + value
                + " #>> '{}' END) AS " + column;
    }

    private static PublicRoomRow map(Database.Row r) {
        return new PublicRoomRow(r.string("room_id"), r.longValue("joined"), r.string("name"), r.string("topic"),
                r.string("canonical_alias"), r.string("avatar_url"), r.string("join_rule"),
                r.string("history_visibility"), r.string("guest_access"), r.string("room_type"),
                r.longValue("total"));
    }
}
