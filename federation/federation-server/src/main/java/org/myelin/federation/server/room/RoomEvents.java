package org.myelin.federation.server.room;

import org.myelin.db.room.EventRow;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.server.api.RoomEvent;
import org.myelin.federation.server.api.TimelinePosition;

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
