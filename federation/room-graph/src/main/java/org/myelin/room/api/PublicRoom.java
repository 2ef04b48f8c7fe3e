package org.myelin.room.api;

/**
 * One entry of the published room directory (the spec's PublishedRoomsChunk). Optional fields are null when the
 * room has no such state.
 *
 * @param canonicalAlias the alias of m.room.canonical_alias
 * @param worldReadable  whether history_visibility is world_readable
 * @param guestCanJoin   whether guest_access is can_join
 * @param joinRule       m.room.join_rules' join_rule; null means public
 * @param roomType       the type of m.room.create
 * @param avatarUrl      the url of m.room.avatar
 */
public record PublicRoom(String roomId, String name, String topic, String canonicalAlias, long numJoinedMembers,
        boolean worldReadable, boolean guestCanJoin, String joinRule, String roomType, String avatarUrl) {
}
