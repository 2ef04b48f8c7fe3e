package org.myelin.db.room;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/**
 * Delta-based state groups: a group stores only the entries that differ from its {@code prev_group}, a snapshot
 * (no prev_group) stores the whole state. Reading a group walks the chain back to its snapshot; the closest
 * group that names a (type, state_key) wins.
 */
public final class StateGroupRepository {

    private static final String INSERT_GROUP = """
            INSERT INTO state_groups (room_id, prev_group, chain_len, state_size)
            VALUES (:roomId, :prevGroup, :chainLen, :stateSize) RETURNING id""";
    private static final String INSERT_ENTRIES = """
            INSERT INTO state_group_entries (state_group, type, state_key, event_id)
            SELECT :group, u.t, u.k, u.e FROM unnest(:types::text[], :keys::text[], :events::text[]) AS u(t, k, e)""";
    private static final String SELECT_GROUP = """
            SELECT id, room_id, prev_group, chain_len, state_size FROM state_groups WHERE id = :group""";
    private static final String MAP_EVENT = """
            INSERT INTO event_state_groups (event_id, state_group, before_group) VALUES (:eventId, :group, :before)""";
    private static final String GROUP_OF_EVENT = """
            SELECT state_group FROM event_state_groups WHERE event_id = :eventId""";

    private final Database db;

    public StateGroupRepository(Database db) {
        this.db = db;
    }

    /**
     * Writes a group and its entries and emits its id.
     *
     * @param prevGroup the group {@code entries} are a delta against, or null for a snapshot
     * @param entries   the changed entries (delta) or the whole state (snapshot)
     */
    public Mono<Long> create(String roomId, Long prevGroup, int chainLen, int stateSize,
            Collection<StateEntry> entries) {
        var spec = db.sql(INSERT_GROUP).bind("roomId", roomId).bind("chainLen", chainLen)
                .bind("stateSize", stateSize);
        return db.one(Database.bindNullable(spec, "prevGroup", prevGroup, Long.class), r -> r.longValue("id"))
                .flatMap(id -> entries.isEmpty() ? Mono.just(id) : db.update(db.sql(INSERT_ENTRIES).bind("group", id)
                        .bind("types", entries.stream().map(StateEntry::type).toArray(String[]::new))
                        .bind("keys", entries.stream().map(StateEntry::stateKey).toArray(String[]::new))
                        .bind("events", entries.stream().map(StateEntry::eventId).toArray(String[]::new)))
                        .thenReturn(id));
    }

    public Mono<StateGroupRow> find(long group) {
        return db.one(db.sql(SELECT_GROUP).bind("group", group), r -> new StateGroupRow(r.longValue("id"),
                r.string("room_id"), r.longValue("prev_group"), r.intValue("chain_len"), r.intValue("state_size")));
    }

    /** The full state the group stands for. */
    public Mono<List<StateEntry>> load(long group) {
        return db.many(db.sql(StateGroupSql.stateOf("group", "")).bind("group", group), StateGroupRepository::map);
    }

    /** The entries of the group's state with this type and one of these state keys. */
    public Mono<List<StateEntry>> load(long group, String type, Collection<String> stateKeys) {
        String filter = "WHERE e.type = :type AND e.state_key = ANY(:keys)";
        return db.many(db.sql(StateGroupSql.stateOf("group", filter)).bind("group", group).bind("type", type)
                .bind("keys", stateKeys.toArray(String[]::new)), StateGroupRepository::map);
    }

    /** The entries of the group's state with one of these types. */
    public Mono<List<StateEntry>> loadTypes(long group, Collection<String> types) {
        return db.many(db.sql(StateGroupSql.stateOf("group", "WHERE e.type = ANY(:types)")).bind("group", group)
                .bind("types", types.toArray(String[]::new)), StateGroupRepository::map);
    }

    /**
     * Records that {@code group} is the state after {@code eventId} and {@code before} the state before it (null
     * only for a room's create event).
     */
    public Mono<Void> mapEvent(String eventId, long group, Long before) {
        return db.update(Database.bindNullable(db.sql(MAP_EVENT).bind("eventId", eventId).bind("group", group),
                "before", before, Long.class)).then();
    }

    /** The state group after the event; empty when the event has none (unknown or an outlier). */
    public Mono<Long> groupOfEvent(String eventId) {
        return db.one(db.sql(GROUP_OF_EVENT).bind("eventId", eventId), r -> r.longValue("state_group"));
    }

    private static StateEntry map(Database.Row r) {
        return new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id"));
    }
}
