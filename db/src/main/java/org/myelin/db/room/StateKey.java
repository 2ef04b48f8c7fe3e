package org.myelin.db.room;

/** The key of a room state entry: (type, state_key). */
public record StateKey(String type, String stateKey) {
}
