package org.myelin.room.api;

import java.util.List;

/**
 * A page of the published room directory.
 *
 * @param nextBatch     token for the following page, or null on the last page
 * @param prevBatch     token for the page before, or null on the first page
 * @param totalEstimate how many rooms match the filter in all
 */
public record PublicRoomsPage(List<PublicRoom> chunk, String nextBatch, String prevBatch, long totalEstimate) {

    public PublicRoomsPage {
        chunk = List.copyOf(chunk);
    }
}
