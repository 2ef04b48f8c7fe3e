package org.myelin.db.sync;

import java.util.List;

/**
 * A room's timeline slice for /sync: accepted events with {@code since < stream_ordering <= upTo}.
 *
 * @param limit      the most events to return
 * @param types      SQL LIKE patterns of types to include; empty includes all
 * @param notTypes   SQL LIKE patterns of types to exclude
 * @param senders    senders to include; empty includes all
 * @param notSenders senders to exclude
 * @param hidden     senders whose events other than state events are excluded (users the reader ignores)
 */
public record TimelineQuery(String roomId, long since, long upTo, int limit, List<String> types,
        List<String> notTypes, List<String> senders, List<String> notSenders, List<String> hidden) {

    public TimelineQuery {
        types = List.copyOf(types);
        notTypes = List.copyOf(notTypes);
        senders = List.copyOf(senders);
        notSenders = List.copyOf(notSenders);
        hidden = List.copyOf(hidden);
    }
}
