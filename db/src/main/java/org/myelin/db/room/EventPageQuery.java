package org.myelin.db.room;

import java.util.List;

/**
 * One page of a room's timeline in (topological, stream) order, for /messages and /context.
 *
 * @param backwards   true to walk towards older events
 * @param from        the bound to start after (exclusive)
 * @param to          the bound to stop before (exclusive), or null
 * @param until       the last position the reader may see (inclusive), or null for no limit
 * @param limit       the most events to return
 * @param types       SQL LIKE patterns of types to keep; empty keeps all
 * @param notTypes    SQL LIKE patterns of types to drop
 * @param senders     senders to keep; empty keeps all
 * @param notSenders  senders to drop
 * @param hidden      senders whose events other than state events are dropped (users the reader ignores)
 */
public record EventPageQuery(String roomId, boolean backwards, PageBound from, PageBound to, PageBound until,
        int limit, List<String> types, List<String> notTypes, List<String> senders, List<String> notSenders,
        List<String> hidden) {

    public EventPageQuery {
        types = List.copyOf(types);
        notTypes = List.copyOf(notTypes);
        senders = List.copyOf(senders);
        notSenders = List.copyOf(notSenders);
        hidden = List.copyOf(hidden);
    }
}
