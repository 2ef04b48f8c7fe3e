package org.myelin.db.room;

/**
 * One row of {@code state_groups}.
 *
 * @param prevGroup the group this one is a delta against, or null for a full snapshot
 * @param chainLen  how many deltas lie between this group and its snapshot (0 for a snapshot)
 * @param stateSize how many entries the full state of this group has
 */
public record StateGroupRow(long id, String roomId, Long prevGroup, int chainLen, int stateSize) {
}
