package org.myelin.room.graph;

import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.auth.StateTuple;

/**
 * A current state resolved before the room lock was taken, for the forward extremities the room will have once an
 * event is accepted. Under the lock it is used only if the extremities really are these (the optimistic
 * re-check); otherwise the resolution is done again.
 *
 * @param extremities the forward extremities it was resolved for, the new event among them
 * @param state       their resolved state
 */
record ResolvedCurrentState(Set<String> extremities, Map<StateTuple, String> state) {

    ResolvedCurrentState {
        extremities = Set.copyOf(extremities);
        state = Map.copyOf(state);
    }
}
