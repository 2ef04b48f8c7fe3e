package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.space.SpaceRoom;

/**
 * One page of a space hierarchy.
 *
 * @param rooms     the rooms in walk order, each with its (possibly filtered) children
 * @param nextBatch the token of the next page, or null when the walk is done
 */
public record HierarchyPage(List<SpaceRoom> rooms, String nextBatch) {

    public HierarchyPage {
        rooms = List.copyOf(rooms);
    }
}
