package org.myelin.federation.protocol.state;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.JoinRules;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersion.StateResolutionAlgorithm;

/**
 * Resolves a set of room states into one, with the algorithm of the room version: state resolution v2
 * (https://spec.matrix.org/v1.19/rooms/v2/#state-resolution, room versions 2–11) or v2.1
 * (https://spec.matrix.org/v1.19/rooms/v12/#state-resolution, room version 12, MSC4297), or, for room version 1,
 * state resolution v1 ({@link StateResolutionV1}).
 *
 * <p>The state before an event is the resolution of the states after its {@code prev_events}. Callers preload
 * every event of the states and of their auth chains into the {@link EventLookup}; resolution is CPU-only.
 */
public final class StateResolution {

    private final AuthRules authRules;

    /** @param authRules the authorisation rules the iterative auth checks apply */
    public StateResolution(AuthRules authRules) {
        this.authRules = Objects.requireNonNull(authRules, "authRules");
    }

    /**
     * The resolution of {@code stateSets}.
     *
     * @param version   the room's version, which selects the algorithm and the auth rules
     * @param stateSets the states to resolve, each a map from (type, state_key) to event ID
     * @param events    the events of the states and of their auth chains
     * @return the resolved state, a new map from (type, state_key) to event ID
     * @throws IllegalArgumentException when an event of the states is missing from {@code events}
     */
    public Map<StateTuple, String> resolve(RoomVersion version, List<Map<StateTuple, String>> stateSets,
            EventLookup events) {
        if (stateSets.isEmpty()) {
            return new HashMap<>();
        }
        EventGraph graph = new EventGraph(events, version);
        if (version.stateResolution() == StateResolutionAlgorithm.V1) {
            return new StateResolutionV1(authRules).resolve(stateSets, graph, version);
        }
        return resolveV2(stateSets, graph, version.stateResolution() == StateResolutionAlgorithm.V2_1);
    }

    private Map<StateTuple, String> resolveV2(List<Map<StateTuple, String>> stateSets, EventGraph graph,
            boolean v21) {
        StateSplit split = StateSplit.of(stateSets);
        if (split.conflicted().isEmpty()) {
            return new HashMap<>(split.unconflicted());
        }
        // Full conflicted set: the conflicted state set, (v2.1) the conflicted state subgraph, and the auth
        // difference.
        Set<String> full = new LinkedHashSet<>(split.conflicted());
        if (v21) {
            full.addAll(split.conflictedSubgraph(graph));
        }
        full.addAll(StateSplit.authDifference(stateSets, graph));
        full.forEach(graph::require);

        // 1. Select the set X of all power events in the full conflicted set, enlarged by the events of their auth
        // chains that also belong to the full conflicted set; sort X by the reverse topological power ordering.
        Set<String> powerEvents = new LinkedHashSet<>();
        full.stream().filter(id -> isPowerEvent(graph.require(id))).forEach(powerEvents::add);
        Set<String> selected = new LinkedHashSet<>(powerEvents);
        graph.authChain(powerEvents).stream().filter(full::contains).forEach(selected::add);
        List<String> powerOrder = new PowerOrdering(graph).sort(selected);

        // 2. Apply the iterative auth checks, starting from the unconflicted state map (v2.1: from an empty state
        // map), to that list to get a partially resolved state.
        Map<StateTuple, String> state = v21 ? new HashMap<>() : new HashMap<>(split.unconflicted());
        IterativeAuthChecks checks = new IterativeAuthChecks(authRules, graph);
        checks.apply(state, powerOrder);

        // 3. Order the remaining events by the mainline ordering based on the power levels event of the partially
        // resolved state.
        List<String> remaining = full.stream().filter(id -> !selected.contains(id)).toList();
        String powerLevels = state.get(new StateTuple(PowerLevels.TYPE, ""));
        List<String> mainlineOrder = new MainlineOrdering(graph, powerLevels).sort(remaining);

        // 4. Apply the iterative auth checks on the partially resolved state and that list.
        checks.apply(state, mainlineOrder);

        // 5. Replace any event with the event with the same key from the unconflicted state map.
        state.putAll(split.unconflicted());
        return state;
    }

    /**
     * A power event: a state event of type m.room.power_levels or m.room.join_rules, or an m.room.member event
     * whose membership is leave or ban and whose sender is not its state_key (a kick or a ban). The spec says
     * "state event with type"; the only such events the rules read have an empty state_key, which Synapse and
     * ruma also require here.
     */
    static boolean isPowerEvent(AuthEvent event) {
        if (event.stateKey() == null) {
            return false;
        }
        if (PowerLevels.TYPE.equals(event.type()) || JoinRules.TYPE.equals(event.type())) {
            return event.stateKey().isEmpty();
        }
        if (!Membership.TYPE.equals(event.type()) || event.sender().equals(event.stateKey())) {
            return false;
        }
        String membership = event.content().path("membership").stringValue("");
        return membership.equals(Membership.LEAVE.value()) || membership.equals(Membership.BAN.value());
    }
}
