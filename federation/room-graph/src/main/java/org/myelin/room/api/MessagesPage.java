package org.myelin.room.api;

import java.util.List;

/**
 * One /messages page.
 *
 * @param chunk  the events, in the direction asked for
 * @param start  the token the page starts at
 * @param end    the token to continue from, or null when there are no more events
 * @param state  member events of the chunk's senders when lazy loading was asked for; empty otherwise
 */
public record MessagesPage(List<RoomEvent> chunk, RoomPosition start, TimelinePosition end,
        List<RoomEvent> state) {

    public MessagesPage {
        chunk = List.copyOf(chunk);
        state = List.copyOf(state);
    }
}
