package org.myelin.room.api;

/**
 * The point just after every event whose stream ordering is at most {@code stream}: what a /sync token names of a
 * room. Paging backwards from it returns exactly the events /sync had reached (up to {@code stream}), paging
 * forwards the ones it had not, whatever their depth; the pages then continue with {@link TimelinePosition}s.
 */
public record EventsBound(long stream) implements RoomPosition {
}
