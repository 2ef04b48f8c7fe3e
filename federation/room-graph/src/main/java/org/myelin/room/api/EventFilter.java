package org.myelin.room.api;

import java.util.List;

/**
 * The part of a RoomEventFilter /messages honours.
 *
 * @param types            types to include ({@code *} matches any sequence); empty includes all
 * @param notTypes         types to exclude
 * @param senders          senders to include; empty includes all
 * @param notSenders       senders to exclude
 * @param lazyLoadMembers  return only the member events of the chunk's senders as {@code state}
 */
public record EventFilter(List<String> types, List<String> notTypes, List<String> senders, List<String> notSenders,
        boolean lazyLoadMembers) {

    /** No filtering. */
    public static final EventFilter NONE = new EventFilter(List.of(), List.of(), List.of(), List.of(), false);

    public EventFilter {
        types = List.copyOf(types);
        notTypes = List.copyOf(notTypes);
        senders = List.copyOf(senders);
        notSenders = List.copyOf(notSenders);
    }
}
