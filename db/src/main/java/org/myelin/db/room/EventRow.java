package org.myelin.db.room;

/**
 * One row of {@code events}: the signed event text plus the columns it is found by.
 *
 * @param streamOrdering      the global order events were persisted in on this server
 * @param stateKey            null for message events
 * @param topologicalOrdering the depth, for /messages pagination
 * @param json                the event exactly as signed (canonical JSON)
 * @param txnId               the client transaction id of a local send, or null
 * @param senderDeviceId      the sending device of a local send, or null
 */
public record EventRow(long streamOrdering, String eventId, String roomId, String type, String stateKey,
        String sender, long depth, long topologicalOrdering, long originServerTs, String json, String txnId,
        String senderDeviceId) {
}
