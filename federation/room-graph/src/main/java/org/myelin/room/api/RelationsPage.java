package org.myelin.room.api;

import java.util.List;

/**
 * One page of GET /relations.
 *
 * @param nextBatch       the token of the next page, or null at the end
 * @param prevBatch       the token this page started from, or null for the first page
 * @param recursionDepth  how deep the server followed relations, or null when the client did not ask to recurse
 */
public record RelationsPage(List<RoomEvent> chunk, TimelinePosition nextBatch, TimelinePosition prevBatch,
        Integer recursionDepth) {

    public RelationsPage {
        chunk = List.copyOf(chunk);
    }
}
