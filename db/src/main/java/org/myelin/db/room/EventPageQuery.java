package org.myelin.db.room;

import java.util.List;

/**
 * One page of a room's timeline in (topological, stream) order, for /messages.
 *
 * @param backwards   true to walk towards older events
 * @param fromTopo    the position to start after (exclusive), topological part
 * @param fromStream  the position to start after (exclusive), stream part
 * @param toTopo      an optional bound (inclusive of nothing beyond it), or null
 * @param toStream    the stream part of the bound; ignored when {@code toTopo} is null
 * @param limit       the most events to return
 * @param types       SQL LIKE patterns of types to keep; empty keeps all
 * @param notTypes    SQL LIKE patterns of types to drop
 * @param senders     senders to keep; empty keeps all
 * @param notSenders  senders to drop
 */
public record EventPageQuery(String roomId, boolean backwards, long fromTopo, long fromStream, Long toTopo,
        Long toStream, int limit, List<String> types, List<String> notTypes, List<String> senders,
        List<String> notSenders) {

    public EventPageQuery {
        types = List.copyOf(types);
        notTypes = List.copyOf(notTypes);
        senders = List.copyOf(senders);
        notSenders = List.copyOf(notSenders);
    }
}
