package org.myelin.federation.protocol.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AuthState} over a list of events; the first event for a (type, state_key) wins. */
final class MapAuthState implements AuthState {

    private final Map<StateTuple, AuthEvent> byTuple = new HashMap<>();
    private final List<AuthEvent> listed;

    MapAuthState(List<AuthEvent> events, List<AuthEvent> listed) {
        for (AuthEvent event : events) {
            StateTuple tuple = StateTuple.of(event);
            if (tuple != null) {
                byTuple.putIfAbsent(tuple, event);
            }
        }
        this.listed = listed;
    }

    @Override
    public Optional<AuthEvent> get(String type, String stateKey) {
        return Optional.ofNullable(byTuple.get(new StateTuple(type, stateKey)));
    }

    @Override
    public Optional<List<AuthEvent>> listedAuthEvents() {
        return Optional.ofNullable(listed);
    }
}
