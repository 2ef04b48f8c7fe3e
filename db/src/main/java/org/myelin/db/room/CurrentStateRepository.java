package org.myelin.db.room;

import java.util.Collection;
import java.util.List;

import org.myelin.db.support.Database;

import reactor.core.publisher.Mono;

/** The state of each room after its latest event, one row per (type, state_key). */
public final class CurrentStateRepository {

    private static final String UPSERT = """
            INSERT INTO current_state (room_id, type, state_key, event_id) VALUES (:roomId, :type, :stateKey, :eventId)
            ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = EXCLUDED.event_id""";
    private static final String UPSERT_ALL = """
            INSERT INTO current_state (room_id, type, state_key, event_id)
            SELECT :roomId, u.t, u.k, u.e FROM unnest(:types::text[], :keys::text[], :events::text[]) AS u(t, k, e)
            ON CONFLICT (room_id, type, state_key) DO UPDATE SET event_id = EXCLUDED.event_id""";
    private static final String SELECT = "SELECT type, state_key, event_id FROM current_state WHERE room_id = :roomId";
    private static final String DELETE = """
            DELETE FROM current_state WHERE room_id = :roomId AND type = :type AND state_key = :stateKey""";
    private static final String EVENTS = "SELECT e.stream_ordering, e.event_id, e.room_id, e.type, e.state_key, "
            + "e.sender, e.depth, e.topological_ordering, e.origin_server_ts, e.json, e.txn_id, e.sender_device_id "
            + "FROM current_state c JOIN events e ON e.event_id = c.event_id WHERE c.room_id = :roomId";
    private static final String EVENTS_FOR_KEYS = EVENTS
            + " AND (c.type, c.state_key) IN (SELECT * FROM unnest(:types::text[], :keys::text[]))";

    private final Database db;

    public CurrentStateRepository(Database db) {
        this.db = db;
    }

    /** Removes (type, state_key) from the room's current state. */
    public Mono<Void> remove(String roomId, String type, String stateKey) {
        return db.update(db.sql(DELETE).bind("roomId", roomId).bind("type", type).bind("stateKey", stateKey))
                .then();
    }

    public Mono<Void> put(String roomId, StateEntry entry) {
        return db.update(db.sql(UPSERT).bind("roomId", roomId).bind("type", entry.type())
                .bind("stateKey", entry.stateKey()).bind("eventId", entry.eventId())).then();
    }

    /** {@link #put} of many entries in one statement; each (type, state_key) at most once among them. */
    public Mono<Void> putAll(String roomId, Collection<StateEntry> entries) {
        if (entries.isEmpty()) {
            return Mono.empty();
        }
        return db.update(db.sql(UPSERT_ALL).bind("roomId", roomId)
                .bind("types", entries.stream().map(StateEntry::type).toArray(String[]::new))
                .bind("keys", entries.stream().map(StateEntry::stateKey).toArray(String[]::new))
                .bind("events", entries.stream().map(StateEntry::eventId).toArray(String[]::new))).then();
    }

    /** The entries of the room's current state. */
    public Mono<List<StateEntry>> list(String roomId) {
        return db.many(db.sql(SELECT).bind("roomId", roomId),
                r -> new StateEntry(r.string("type"), r.string("state_key"), r.string("event_id")));
    }

    /** The current state event at (type, state_key), if any. */
    public Mono<EventRow> event(String roomId, String type, String stateKey) {
        return db.one(db.sql(EVENTS + " AND c.type = :type AND c.state_key = :stateKey").bind("roomId", roomId)
                .bind("type", type).bind("stateKey", stateKey), EventRepository::map);
    }

    /** The current state events of one type (e.g. every m.room.member). */
    public Mono<List<EventRow>> eventsOfType(String roomId, String type) {
        return db.many(db.sql(EVENTS + " AND c.type = :type ORDER BY c.state_key").bind("roomId", roomId)
                .bind("type", type), EventRepository::map);
    }

    /** Every current state event of the room. */
    public Mono<List<EventRow>> events(String roomId) {
        return db.many(db.sql(EVENTS).bind("roomId", roomId), EventRepository::map);
    }

    /** The current state events at the given (type, state_key) pairs; missing pairs are skipped. */
    public Mono<List<EventRow>> events(String roomId, Collection<StateKey> keys) {
        return db.many(db.sql(EVENTS_FOR_KEYS).bind("roomId", roomId)
                .bind("types", keys.stream().map(StateKey::type).toArray(String[]::new))
                .bind("keys", keys.stream().map(StateKey::stateKey).toArray(String[]::new)), EventRepository::map);
    }
}
