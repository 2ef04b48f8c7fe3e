package org.myelin.room.api;

/**
 * A GET /messages request.
 *
 * @param backwards  dir=b
 * @param from       where to start (exclusive); null for the end (dir=b) or the start (dir=f) of the room
 * @param to         where to stop (exclusive), or null
 * @param limit      the most events to return (already bounded by the caller)
 */
public record MessagesQuery(boolean backwards, RoomPosition from, RoomPosition to, int limit,
        EventFilter filter) {
}
