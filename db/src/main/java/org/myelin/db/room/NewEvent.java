package org.myelin.db.room;

import java.util.List;

/** An event to insert with its edges: the IDs of its prev events and of its auth events. */
public record NewEvent(EventRow row, List<String> prevEventIds, List<String> authEventIds) {

    public NewEvent {
        prevEventIds = List.copyOf(prevEventIds);
        authEventIds = List.copyOf(authEventIds);
    }
}
