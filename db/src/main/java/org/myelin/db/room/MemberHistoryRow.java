package org.myelin.db.room;

/**
 * One of a user's member events in a room: where it sits in the timeline and the membership it set.
 *
 * @param membership the content's membership value, or null when it has none
 */
public record MemberHistoryRow(long topologicalOrdering, long streamOrdering, String membership) {
}
