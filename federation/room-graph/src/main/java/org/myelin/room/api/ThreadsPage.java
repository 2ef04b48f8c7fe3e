package org.myelin.room.api;

import java.util.List;

/**
 * One page of GET /threads.
 *
 * @param chunk      thread roots with {@code unsigned.m.relations.m.thread}, the most recently active first
 * @param nextBatch  the token of the next page, or null at the end
 */
public record ThreadsPage(List<RoomEvent> chunk, TimelinePosition nextBatch) {

    public ThreadsPage {
        chunk = List.copyOf(chunk);
    }
}
