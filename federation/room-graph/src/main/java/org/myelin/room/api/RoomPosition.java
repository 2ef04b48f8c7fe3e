package org.myelin.room.api;

/**
 * Where a read of a room's timeline starts or stops: a {@link TimelinePosition} (the tokens /messages and /context
 * hand out) or an {@link EventsBound} (the events part of a /sync token, such as a timeline's {@code prev_batch}).
 */
public sealed interface RoomPosition permits TimelinePosition, EventsBound {
}
