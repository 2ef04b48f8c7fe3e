package org.myelin.federation.protocol.auth;

import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;

/** Rule 1, for {@code m.room.create} events; these are checked without any room state. */
final class CreateRules {

    private CreateRules() {
    }

    static AuthResult check(AuthEvent event, RoomVersion version) {
        // 1.1 If it has any prev_events, reject.
        if (!event.prevEventIds().isEmpty()) {
            return AuthResult.reject(AuthRule.CREATE_PREV_EVENTS, "a create event must not have prev_events");
        }
        // 1.2 v12: if the event has a room_id, reject (the room ID is derived from the event ID).
        if (version.roomIdFromCreateEvent() && event.roomId() != null) {
            return AuthResult.reject(AuthRule.CREATE_ROOM_ID, "a create event must not have a room_id");
        }
        // 1.2 v1–11: if the domain of the room_id does not match the domain of the sender, reject.
        if (!version.roomIdFromCreateEvent()
                && (event.roomId() == null || !UserIds.domain(event.roomId()).equals(UserIds.domain(event.sender())))) {
            return AuthResult.reject(AuthRule.CREATE_ROOM_ID, "room_id domain differs from the sender's domain");
        }
        // 1.3 If content.room_version is present and is not a recognised version, reject.
        JsonNode roomVersion = event.content().path("room_version");
        if (!roomVersion.isMissingNode()
                && (!roomVersion.isString() || RoomVersions.find(roomVersion.stringValue()).isEmpty())) {
            return AuthResult.reject(AuthRule.CREATE_ROOM_VERSION, "unknown room_version " + roomVersion);
        }
        // 1.4 v1–10: if content has no creator property, reject.
        if (!version.implicitRoomCreator() && !event.content().has("creator")) {
            return AuthResult.reject(AuthRule.CREATE_CREATOR, "content has no creator");
        }
        // 1.4 v12: if additional_creators is present and not an array of valid user IDs, reject.
        if (version.privilegedCreators() && !validAdditionalCreators(event.content().path("additional_creators"))) {
            return AuthResult.reject(AuthRule.CREATE_ADDITIONAL_CREATORS,
                    "additional_creators is not an array of user IDs");
        }
        // 1.5 Otherwise, allow.
        return AuthResult.allow(AuthRule.CREATE_OTHERWISE);
    }

    private static boolean validAdditionalCreators(JsonNode additional) {
        if (additional.isMissingNode()) {
            return true;
        }
        if (!additional.isArray()) {
            return false;
        }
        for (JsonNode creator : additional.values()) {
            if (!creator.isString() || !UserIds.isValid(creator.stringValue())) {
                return false;
            }
        }
        return true;
    }
}
