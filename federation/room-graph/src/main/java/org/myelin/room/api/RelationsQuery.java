package org.myelin.room.api;

import org.myelin.federation.protocol.id.EventId;

/**
 * A GET /relations request.
 *
 * @param relType    keep only this relation type, or null
 * @param eventType  keep only this event type, or null (only with {@code relType})
 * @param from       where to start (exclusive), or null for the newest (dir=b) or oldest (dir=f)
 * @param to         where to stop (exclusive), or null
 * @param limit      the most events to return (already bounded by the caller)
 * @param backwards  dir=b, the default
 * @param recurse    the recurse parameter, or null when the client left it out
 */
public record RelationsQuery(EventId eventId, String relType, String eventType, TimelinePosition from,
        TimelinePosition to, int limit, boolean backwards, Boolean recurse) {
}
