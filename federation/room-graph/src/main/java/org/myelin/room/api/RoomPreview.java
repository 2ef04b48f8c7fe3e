package org.myelin.room.api;

import org.myelin.federation.protocol.space.RoomSummary;

/**
 * A room summary as a user sees it.
 *
 * @param membership the requester's membership ({@code leave} when they have none), or null when unauthenticated
 */
public record RoomPreview(RoomSummary summary, String membership) {
}
