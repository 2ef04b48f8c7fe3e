package org.myelin.room.graph;

import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.TimelinePosition;

/** Conversions from stored rows to the port's event type. */
final class RoomEvents {

    private RoomEvents() {
    }

    static RoomEvent of(EventRow row) {
        return new RoomEvent(new EventId(row.eventId()), new RoomId(row.roomId()), row.json(),
                new TimelinePosition(row.topologicalOrdering(), row.streamOrdering()), row.txnId(),
                row.senderDeviceId());
    }
}
