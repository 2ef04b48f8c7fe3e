package org.myelin.room.api;

import java.util.List;

/**
 * The answer of GET /context: an event, the visible events around it and the state at the last one returned.
 *
 * @param before  events before the event, newest first
 * @param after   events after the event, oldest first
 * @param state   the room state at the last event returned (only the senders' member events with lazy loading)
 * @param start   a /messages token to paginate backwards from
 * @param end     a /messages token to paginate forwards from
 */
public record EventContext(List<RoomEvent> before, RoomEvent event, List<RoomEvent> after, List<RoomEvent> state,
        TimelinePosition start, TimelinePosition end) {

    public EventContext {
        before = List.copyOf(before);
        after = List.copyOf(after);
        state = List.copyOf(state);
    }
}
