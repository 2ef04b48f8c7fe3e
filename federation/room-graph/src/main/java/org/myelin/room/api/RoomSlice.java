package org.myelin.room.api;

import java.util.List;

/**
 * One room's part of a /sync response.
 *
 * @param timeline    the latest events of the window, oldest first
 * @param limited     whether events between the client's position (or, for a room the user newly joined, the
 *                    room's start) and the timeline were left out
 * @param prevBatch   the events position just before the timeline's first event (the window's end when it is
 *                    empty), where /messages continues backwards; null for a room this server is not in
 * @param state       the state between the client's position and the start of the timeline (its end when the
 *                    query asked for the state after it; all of it when {@code fullState}), restricted when
 *                    members are lazy-loaded
 * @param summary     the room summary, or null for a room the user left
 * @param fullState   whether {@code state} is the whole state at the timeline's start or end (initial sync,
 *                    full_state, or a room the user was not joined to at the client's position)
 * @param newlyJoined whether the user joined the room since the client's position without having been joined
 *                    there (a first join, or a rejoin): the room is reported as if on an initial sync
 */
public record RoomSlice(List<RoomEvent> timeline, boolean limited, Long prevBatch, List<RoomEvent> state,
        Summary summary, boolean fullState, boolean newlyJoined) {

    public RoomSlice {
        timeline = List.copyOf(timeline);
        state = List.copyOf(state);
    }

    /**
     * The spec's RoomSummary.
     *
     * @param heroes  up to five members other than the user, in stream order: joined or invited ones, else those
     *                who left or were banned; null when the room has a name or canonical alias (not needed)
     * @param joined  m.joined_member_count
     * @param invited m.invited_member_count
     */
    public record Summary(List<String> heroes, long joined, long invited) {

        public Summary {
            heroes = heroes == null ? null : List.copyOf(heroes);
        }
    }
}
