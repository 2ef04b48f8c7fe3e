package org.myelin.room.api;

/**
 * A GET /members request.
 *
 * @param at             the timeline position to list members at, or null
 * @param atStream       the events stream position (a /sync token's) to list members at, or null
 * @param membership     keep only this membership, or null
 * @param notMembership  drop this membership, or null
 */
public record MembersQuery(TimelinePosition at, Long atStream, String membership, String notMembership) {

    /** The members now. */
    public static MembersQuery now(String membership, String notMembership) {
        return new MembersQuery(null, null, membership, notMembership);
    }
}
