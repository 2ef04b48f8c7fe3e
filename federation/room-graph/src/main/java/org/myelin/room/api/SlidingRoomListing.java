package org.myelin.room.api;

/**
 * One room of a user's sliding sync room list, with what lists sort and filter by.
 *
 * @param membership the user's latest membership
 * @param sender     for a leave, who sent it (someone else: a kick); null otherwise
 * @param bumpStamp  for a join, the stream position of the room's latest bump event (the MSC's types); null
 *                   otherwise or when the room has none in the live stream
 * @param known      whether this server has the room (not only an invite from another server)
 * @param stateKnown whether encryption and type are known (false for an invite whose stripped state has no create
 *                   event); filters on them leave such rooms out, as Synapse does
 * @param encrypted  whether the room has m.room.encryption
 * @param roomType   the create event's {@code type}, or null
 */
public record SlidingRoomListing(SyncMembership membership, String sender, Long bumpStamp, boolean known,
        boolean stateKnown, boolean encrypted, String roomType) {

    /** The position lists sort by: the bump stamp of a joined room, otherwise the membership's own position. */
    public long sortPosition() {
        return bumpStamp != null ? bumpStamp : membership.streamOrdering();
    }
}
