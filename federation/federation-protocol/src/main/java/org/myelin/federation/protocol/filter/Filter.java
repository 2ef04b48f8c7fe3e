package org.myelin.federation.protocol.filter;

import java.util.List;

/**
 * The spec's top-level {@code Filter}, as uploaded with {@code POST /user/{userId}/filter} or given inline to
 * /sync.
 *
 * @param eventFields  dot-separated paths of the event fields to return; null for every field
 * @param eventFormat  how events are shaped; {@link EventFormat#CLIENT} by default
 * @param presence     presence updates to include
 * @param accountData  global (not per-room) account data to include
 * @param room         what to include of rooms
 */
public record Filter(List<String> eventFields, EventFormat eventFormat, EventFilter presence,
        EventFilter accountData, RoomFilter room) {

    /** The filter of a request that names none: everything, client format. */
    public static final Filter DEFAULT = new Filter(null, EventFormat.CLIENT, EventFilter.ALL, EventFilter.ALL,
            RoomFilter.ALL);

    /** Fills defaults for absent parts. */
    public Filter {
        eventFields = eventFields == null ? null : List.copyOf(eventFields);
        eventFormat = eventFormat == null ? EventFormat.CLIENT : eventFormat;
        presence = presence == null ? EventFilter.ALL : presence;
        accountData = accountData == null ? EventFilter.ALL : accountData;
        room = room == null ? RoomFilter.ALL : room;
    }

    /** The {@code event_fields} projection to apply to each client event ({@link EventFields#ALL} when absent). */
    public EventFields projection() {
        return eventFields == null ? EventFields.ALL : EventFields.of(eventFields);
    }
}
