package org.myelin.federation.protocol.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The state an event is authorised against: either the events the event lists in {@code auth_events} (the check
 * on receipt of a PDU "based on the event's auth events"), or a room state (the checks "based on the state before
 * the event" and "based on the current state"). Only the first form carries {@link #listedAuthEvents()}, and only
 * then do the rules about the {@code auth_events} list run.
 */
public interface AuthState {

    /** The event with this (type, state_key), if the state has one. */
    Optional<AuthEvent> get(String type, String stateKey);

    /** The events the checked event lists in {@code auth_events}, when this state was built from them. */
    Optional<List<AuthEvent>> listedAuthEvents();

    /**
     * The state given by an event's own auth events.
     *
     * @param listed     the events the checked event lists in {@code auth_events}, resolved and in any order
     * @param roomCreate the room's create event when the room version does not list it in {@code auth_events}
     *                   (v12+, found from the room ID); {@code null} otherwise
     */
    static AuthState ofAuthEvents(List<AuthEvent> listed, AuthEvent roomCreate) {
        List<AuthEvent> lookup = new ArrayList<>(listed);
        if (roomCreate != null) {
            lookup.add(roomCreate);
        }
        return new MapAuthState(lookup, List.copyOf(listed));
    }

    /** A room state: at most one event per (type, state_key), none of them rejected. */
    static AuthState ofRoomState(Collection<? extends AuthEvent> state) {
        return new MapAuthState(List.copyOf(state), null);
    }
}
