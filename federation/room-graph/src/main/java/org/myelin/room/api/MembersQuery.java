package org.myelin.room.api;

/**
 * A GET /members request.
 *
 * @param at             the timeline position to list members at, or null for now
 * @param membership     keep only this membership, or null
 * @param notMembership  drop this membership, or null
 */
public record MembersQuery(TimelinePosition at, String membership, String notMembership) {
}
