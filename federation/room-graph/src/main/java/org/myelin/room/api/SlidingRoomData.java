package org.myelin.room.api;

import java.util.List;
import java.util.Set;

/**
 * One room's data for a sliding sync response, as the user may see it.
 *
 * @param timeline    the latest events of the window, oldest first
 * @param limited     whether events of the window were left out
 * @param prevBatch   the /messages token (dir=b) that continues before the timeline, or null
 * @param state       the selected state entries (and lazily loaded members)
 * @param lazyMembers the members whose events lazy loading added to {@code state}
 * @param summary     the member counts and heroes, when asked for and the user is joined; else null
 * @param heroMembers the heroes' member events, when the summary was read
 */
public record SlidingRoomData(List<RoomEvent> timeline, boolean limited, TimelinePosition prevBatch,
        List<RoomEvent> state, Set<String> lazyMembers, RoomSlice.Summary summary, List<RoomEvent> heroMembers) {

    public SlidingRoomData {
        timeline = List.copyOf(timeline);
        state = List.copyOf(state);
        lazyMembers = Set.copyOf(lazyMembers);
        heroMembers = List.copyOf(heroMembers);
    }
}
