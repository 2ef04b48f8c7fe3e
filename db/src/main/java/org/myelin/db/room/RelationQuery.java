package org.myelin.db.room;

/**
 * A page of the events relating to a parent event (GET /relations), in (topological, stream) order.
 *
 * @param relType    keep only this relation type, or null
 * @param eventType  keep only this event type, or null
 * @param maxDepth   1 for direct children; more to follow relations of relations that many levels
 * @param backwards  true for newest first
 * @param fromTopo   where to start (exclusive), topological part
 * @param fromStream where to start (exclusive), stream part
 * @param toTopo     where to stop (exclusive), or null
 * @param toStream   the stream part of the stop; ignored when {@code toTopo} is null
 */
public record RelationQuery(String roomId, String parentId, String relType, String eventType, int maxDepth,
        boolean backwards, long fromTopo, long fromStream, Long toTopo, Long toStream, int limit) {
}
