package org.myelin.federation.protocol.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Kahn's algorithm for topological sorting, choosing at each step the smallest ready node under a given order.
 * With a total order this yields the lexicographically smallest topological ordering, which is how the spec
 * defines the "reverse topological power ordering" of state resolution v2.
 */
public final class TopologicalSort {

    private TopologicalSort() {
    }

    /**
     * Orders {@code nodes} so that every node comes after all of its dependencies.
     *
     * @param nodes        the nodes to sort; duplicates are ignored
     * @param dependencies the nodes that must come before a node; entries outside {@code nodes} are ignored
     * @param order        the tie-break among nodes whose dependencies are all placed: the smallest goes first
     * @return the sorted nodes, earliest first
     * @throws IllegalArgumentException when the dependencies form a cycle
     */
    public static <T> List<T> sort(Collection<T> nodes, Function<? super T, ? extends Collection<T>> dependencies,
            Comparator<? super T> order) {
        Set<T> members = new LinkedHashSet<>(nodes);
        Map<T, Integer> waitingOn = new HashMap<>();
        Map<T, List<T>> dependents = new HashMap<>();
        PriorityQueue<T> ready = new PriorityQueue<>(order);
        for (T node : members) {
            Set<T> deps = new LinkedHashSet<>(dependencies.apply(node));
            deps.retainAll(members);
            deps.remove(node);
            waitingOn.put(node, deps.size());
            for (T dep : deps) {
                dependents.computeIfAbsent(dep, key -> new ArrayList<>()).add(node);
            }
            if (deps.isEmpty()) {
                ready.add(node);
            }
        }
        List<T> sorted = new ArrayList<>(members.size());
        while (!ready.isEmpty()) {
            T next = ready.poll();
            sorted.add(next);
            for (T dependent : dependents.getOrDefault(next, List.of())) {
                if (waitingOn.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (sorted.size() != members.size()) {
            throw new IllegalArgumentException("The dependency graph has a cycle among "
                    + (members.size() - sorted.size()) + " nodes");
        }
        return sorted;
    }
}
