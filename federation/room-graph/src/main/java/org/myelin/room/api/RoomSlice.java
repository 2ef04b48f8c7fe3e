package org.myelin.room.api;

import java.util.List;

/**
 * One room's part of a /sync response.
 *
 * @param timeline  the latest events of the window, oldest first
 * @param limited   whether events between the client's position and the timeline were left out
 * @param prevBatch the /messages token (dir=b) that continues before the timeline
 * @param state     the state between the client's position and the start of the timeline (all of it for an
 *                  initial, full-state or newly joined sync), restricted when members are lazy-loaded
 * @param summary   the room summary, or null for a room the user left
 */
public record RoomSlice(List<RoomEvent> timeline, boolean limited, TimelinePosition prevBatch,
        List<RoomEvent> state, Summary summary) {

    public RoomSlice {
        timeline = List.copyOf(timeline);
        state = List.copyOf(state);
    }

    /**
     * The spec's RoomSummary.
     *
     * @param heroes  up to five joined or invited members other than the user
     * @param joined  m.joined_member_count
     * @param invited m.invited_member_count
     */
    public record Summary(List<String> heroes, long joined, long invited) {

        public Summary {
            heroes = List.copyOf(heroes);
        }
    }
}
