package org.myelin.room.api;

/**
 * A GET /members request.
 *
 * @param at             the position to list members at (a /messages, /context or /sync token), or null for now
 * @param membership     keep only this membership, or null
 * @param notMembership  drop this membership, or null
 */
public record MembersQuery(RoomPosition at, String membership, String notMembership) {

    /** The members now. */
    public static MembersQuery now(String membership, String notMembership) {
        return new MembersQuery(null, membership, notMembership);
    }
}
