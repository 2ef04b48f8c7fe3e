package org.myelin.room.api;

import java.util.List;

import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.node.ObjectNode;

/**
 * A validated POST /createRoom body.
 *
 * @param preset                     the preset; when the request names none, private_chat (or public_chat for a
 *                                   public room) as the spec says
 * @param publish                    visibility "public": list the room in the directory
 * @param aliasLocalpart             room_alias_name, or null
 * @param name                       m.room.name, or null
 * @param topic                      m.room.topic, or null
 * @param invites                    users to invite after the room is set up
 * @param initialState               state events sent after the preset's
 * @param powerLevelContentOverride  merged over the default power levels, or null
 * @param creationContent            extra m.room.create content, or null
 * @param isDirect                   sets is_direct on the invites
 */
public record CreateRoomRequest(RoomVersion version, RoomPreset preset, boolean publish, String aliasLocalpart,
        String name, String topic, List<UserId> invites, List<StateContent> initialState,
        ObjectNode powerLevelContentOverride, ObjectNode creationContent, boolean isDirect) {

    public CreateRoomRequest {
        invites = List.copyOf(invites);
        initialState = List.copyOf(initialState);
    }
}
