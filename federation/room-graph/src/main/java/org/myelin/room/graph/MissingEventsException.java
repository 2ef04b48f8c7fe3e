package org.myelin.room.graph;

import java.util.Set;

/** A PDU names auth or prev events this server does not have (or, for prev events, has only as outliers). */
public final class MissingEventsException extends RuntimeException {

    private final Set<String> eventIds;

    MissingEventsException(Set<String> eventIds) {
        super("Missing events: " + eventIds.size());
        this.eventIds = Set.copyOf(eventIds);
    }

    /** The events to fetch before the PDU can be accepted. */
    public Set<String> eventIds() {
        return eventIds;
    }
}
