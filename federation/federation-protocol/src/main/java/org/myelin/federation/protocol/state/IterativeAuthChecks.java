package org.myelin.federation.protocol.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthEventSelection;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.AuthState;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.auth.StateTuple;

/**
 * The "iterative auth checks algorithm" of state resolution v2: starting from a room state, apply each event of a
 * sorted list in turn if the authorisation rules allow it against the state built so far; ignore it otherwise.
 */
final class IterativeAuthChecks {

    private final AuthRules authRules;
    private final EventGraph graph;

    IterativeAuthChecks(AuthRules authRules, EventGraph graph) {
        this.authRules = authRules;
        this.graph = graph;
    }

    /** Applies {@code events} (event IDs known to the graph) in order to {@code state}, which is updated. */
    void apply(Map<StateTuple, String> state, List<String> events) {
        for (String eventId : events) {
            AuthEvent event = graph.require(eventId);
            StateTuple tuple = StateTuple.of(event);
            if (tuple != null && authRules.check(event, authStateFor(event, state), graph.version()).allowed()) {
                state.put(tuple, eventId);
            }
        }
    }

    /**
     * The state {@code event} is checked against: the entries the auth rules need come from {@code state}; "if a
     * (event_type, state_key) key that is required for checking the authorisation rules is not present in the
     * state, then the appropriate state event from the event's auth_events is used if the auth event is not
     * rejected". In room versions whose room ID names the create event (v12+), that event is the create event.
     */
    private AuthState authStateFor(AuthEvent event, Map<StateTuple, String> state) {
        Map<StateTuple, AuthEvent> entries = new LinkedHashMap<>();
        for (String authId : event.authEventIds()) {
            Optional<AuthEvent> authEvent = graph.find(authId);
            if (authEvent.isPresent() && !authEvent.get().rejected() && StateTuple.of(authEvent.get()) != null) {
                entries.putIfAbsent(StateTuple.of(authEvent.get()), authEvent.get());
            }
        }
        for (StateTuple key : AuthEventSelection.requiredAuthEventKeys(event.type(), event.stateKey(),
                event.sender(), event.content(), graph.version())) {
            String stateEventId = state.get(key);
            if (stateEventId != null) {
                entries.put(key, graph.require(stateEventId));
            }
        }
        if (graph.version().roomIdFromCreateEvent()) {
            graph.createEventFor(event).ifPresent(create -> entries.put(new StateTuple(RoomCreate.TYPE, ""), create));
        }
        return AuthState.ofRoomState(entries.values());
    }
}
