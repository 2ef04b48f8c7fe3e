package org.myelin.federation.protocol.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.myelin.federation.protocol.room.RoomVersion;

/** v12 rule 2 (the room ID names the create event) and rule 3 (v1–11: 2), about the auth_events list. */
final class AuthEventsRules {

    private AuthEventsRules() {
    }

    /** v12 rule 2, or null when it passes. */
    static AuthResult checkRoomId(AuthEvent event, Optional<AuthEvent> create) {
        // 2. If the event's room_id is not an event ID for an accepted (not rejected) m.room.create event, with the
        // sigil ! instead of $, reject.
        if (create.isEmpty()) {
            return AuthResult.reject(AuthRule.ROOM_ID_CREATE_EVENT, "the room's create event is unknown");
        }
        if (create.get().rejected()) {
            return AuthResult.reject(AuthRule.ROOM_ID_CREATE_EVENT, "the room's create event was rejected");
        }
        String expected = "!" + create.get().eventId().substring(1);
        if (!expected.equals(event.roomId())) {
            return AuthResult.reject(AuthRule.ROOM_ID_CREATE_EVENT,
                    "room_id " + event.roomId() + " is not derived from create event " + create.get().eventId());
        }
        return null;
    }

    /** Rule 3 (v1–11: 2) over the events the event lists, or null when it passes. */
    static AuthResult checkListed(AuthEvent event, List<AuthEvent> listed, RoomVersion version) {
        Set<String> listedIds = new HashSet<>();
        listed.forEach(authEvent -> listedIds.add(authEvent.eventId()));
        // NOTSPEC: the spec assumes every listed event is at hand; checking fewer would skip rules below.
        if (!listedIds.equals(new HashSet<>(event.authEventIds()))) {
            return AuthResult.reject(AuthRule.AUTH_EVENTS_LISTED,
                    "supplied auth events " + listedIds + " differ from auth_events " + event.authEventIds());
        }
        // 3.1 If there are duplicate entries for a given type and state_key pair, reject.
        Set<StateTuple> seen = new HashSet<>();
        for (AuthEvent authEvent : listed) {
            StateTuple tuple = StateTuple.of(authEvent);
            if (tuple != null && !seen.add(tuple)) {
                return AuthResult.reject(AuthRule.AUTH_EVENTS_DUPLICATE, "more than one auth event for " + tuple);
            }
        }
        // 3.2 If there are entries whose type and state_key don't match those specified by the auth events
        // selection algorithm, reject (v12: m.room.create must not be selected).
        Set<StateTuple> selectable = AuthEventSelection.requiredAuthEventKeys(event.type(), event.stateKey(),
                event.sender(), event.content(), version);
        for (AuthEvent authEvent : listed) {
            StateTuple tuple = StateTuple.of(authEvent);
            if (tuple == null || !selectable.contains(tuple)) {
                return AuthResult.reject(AuthRule.AUTH_EVENTS_UNEXPECTED,
                        "auth event " + authEvent.eventId() + " " + tuple + " is not one the selection picks");
            }
        }
        // 3.3 If there are entries which were themselves rejected, reject.
        for (AuthEvent authEvent : listed) {
            if (authEvent.rejected()) {
                return AuthResult.reject(AuthRule.AUTH_EVENTS_REJECTED,
                        "auth event " + authEvent.eventId() + " was rejected");
            }
        }
        // 2.4 (v1–11) If there is no m.room.create event among the entries, reject.
        boolean hasCreate = listed.stream().anyMatch(authEvent -> RoomCreate.TYPE.equals(authEvent.type()));
        if (!version.roomIdFromCreateEvent() && !hasCreate) {
            return AuthResult.reject(AuthRule.AUTH_EVENTS_CREATE, "no m.room.create among the auth events");
        }
        // 3.5 If any event in auth_events has a room_id which does not match that of the event, reject.
        for (AuthEvent authEvent : listed) {
            if (!Objects.equals(authEvent.roomId(), event.roomId())) {
                return AuthResult.reject(AuthRule.AUTH_EVENTS_ROOM_ID,
                        "auth event " + authEvent.eventId() + " is in room " + authEvent.roomId());
            }
        }
        return null;
    }
}
