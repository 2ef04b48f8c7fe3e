package org.myelin.db.room;

/** A user's membership as one stored member event says it: the user (its state key), the membership, the event. */
public record MemberEvent(String userId, String membership, String eventId) {
}
