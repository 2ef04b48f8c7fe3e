package org.myelin.db.room;

/** One (type, state_key) → event_id entry of a room state. */
public record StateEntry(String type, String stateKey, String eventId) {
}
