package org.myelin.federation.protocol.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.StateTuple;

/**
 * The definitions of state resolution v2 that split the input states: the unconflicted state map, the conflicted
 * state set, the auth difference, and (v2.1) the conflicted state subgraph.
 *
 * @param unconflicted the (key, event) pairs present with the same event in every state map
 * @param conflicted   every other event of the state maps
 */
record StateSplit(Map<StateTuple, String> unconflicted, Set<String> conflicted) {

    /** Divides the key-value pairs across all state maps into the unconflicted map and the conflicted set. */
    static StateSplit of(List<Map<StateTuple, String>> stateSets) {
        Set<StateTuple> keys = new LinkedHashSet<>();
        stateSets.forEach(state -> keys.addAll(state.keySet()));
        Map<StateTuple, String> unconflicted = new LinkedHashMap<>();
        Set<String> conflicted = new LinkedHashSet<>();
        for (StateTuple key : keys) {
            String first = stateSets.get(0).get(key);
            boolean same = first != null
                    && stateSets.stream().allMatch(state -> Objects.equals(first, state.get(key)));
            if (same) {
                unconflicted.put(key, first);
            } else {
                stateSets.forEach(state -> {
                    String value = state.get(key);
                    if (value != null) {
                        conflicted.add(value);
                    }
                });
            }
        }
        return new StateSplit(unconflicted, conflicted);
    }

    /**
     * The auth difference: with C(i) the full auth chain of state i (the union of the auth chains of its events),
     * ∪ C(i) − ∩ C(i).
     */
    static Set<String> authDifference(List<Map<StateTuple, String>> stateSets, EventGraph graph) {
        Set<String> union = new LinkedHashSet<>();
        Set<String> intersection = null;
        for (Map<StateTuple, String> state : stateSets) {
            Set<String> chain = graph.authChain(state.values());
            union.addAll(chain);
            if (intersection == null) {
                intersection = new HashSet<>(chain);
            } else {
                intersection.retainAll(chain);
            }
        }
        if (intersection != null) {
            union.removeAll(intersection);
        }
        return union;
    }

    /**
     * v2.1: the conflicted state subgraph, the union of all auth_events paths between two events of the
     * conflicted state set, endpoints included. An event lies on such a path when a conflicted event reaches it
     * and it reaches a conflicted event (in a DAG those two differ).
     */
    Set<String> conflictedSubgraph(EventGraph graph) {
        Set<String> reachedFromConflicted = graph.authChain(conflicted);
        Map<String, Boolean> reachesConflicted = new HashMap<>();
        Set<String> subgraph = new LinkedHashSet<>(conflicted);
        for (String eventId : reachedFromConflicted) {
            if (reachesConflicted(eventId, graph, reachesConflicted)) {
                subgraph.add(eventId);
            }
        }
        return subgraph;
    }

    /**
     * Whether {@code start} is conflicted or reaches a conflicted event: an iterative memoised depth-first search
     * (auth chains can be thousands deep). An edge back onto the current path (only possible in malformed rooms)
     * counts as reaching nothing.
     */
    private boolean reachesConflicted(String start, EventGraph graph, Map<String, Boolean> memo) {
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onPath = new HashSet<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            String id = stack.peek();
            List<String> authIds = graph.find(id).map(AuthEvent::authEventIds).orElse(List.of());
            if (memo.containsKey(id)) {
                stack.pop();
            } else if (onPath.add(id)) {
                authIds.stream().filter(authId -> !memo.containsKey(authId) && !onPath.contains(authId))
                        .forEach(stack::push);
            } else {
                memo.put(id, conflicted.contains(id)
                        || authIds.stream().anyMatch(authId -> memo.getOrDefault(authId, false)));
                onPath.remove(id);
                stack.pop();
            }
        }
        return memo.get(start);
    }
}
