package org.myelin.federation.protocol.state;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.PowerLevels;

/**
 * The "mainline ordering" of state resolution v2, based on one power levels event P: events whose power levels
 * ancestry meets P's mainline earlier (further from P) sort first, then by {@code origin_server_ts}, then by
 * event ID.
 */
final class MainlineOrdering {

    /** The spec's sentinel ∞: greater than any mainline index. */
    private static final int NOT_ON_MAINLINE = Integer.MAX_VALUE;

    private final EventGraph graph;
    private final Map<String, Integer> mainlineIndex = new HashMap<>();

    /** @param powerLevelsEventId P, the power levels event of the partially resolved state; null when it has none */
    MainlineOrdering(EventGraph graph, String powerLevelsEventId) {
        this.graph = graph;
        // The mainline of P: P0 = P, then repeatedly P(i+1) = the m.room.power_levels event in the auth_events of
        // P(i), until one has none.
        Optional<AuthEvent> next = powerLevelsEventId == null ? Optional.empty() : graph.find(powerLevelsEventId);
        int index = 0;
        Set<String> seen = new HashSet<>();
        while (next.isPresent() && seen.add(next.get().eventId())) {
            mainlineIndex.put(next.get().eventId(), index++);
            next = graph.authEventOfType(next.get(), PowerLevels.TYPE);
        }
    }

    /** Sorts {@code events} (event IDs known to the graph) from smallest to largest. */
    List<String> sort(Collection<String> events) {
        Map<String, Integer> positions = new HashMap<>();
        events.forEach(id -> positions.put(id, position(graph.require(id))));
        // x < y if (1) x's mainline position is greater, or (2) equal positions and x's origin_server_ts is
        // less, or (3) equal positions and timestamps and x's event_id is less.
        Comparator<String> order = Comparator.<String, Integer>comparing(positions::get, Comparator.reverseOrder())
                .thenComparingLong(id -> graph.require(id).originServerTs())
                .thenComparing(Comparator.naturalOrder());
        return events.stream().sorted(order).toList();
    }

    /**
     * The mainline position of e = e0: walk e1, e2, … (each the power levels event among the previous one's
     * auth events) and take the index in the mainline of the first that lies on it; ∞ when none does.
     */
    private int position(AuthEvent event) {
        Optional<AuthEvent> next = graph.authEventOfType(event, PowerLevels.TYPE);
        Set<String> seen = new HashSet<>();
        while (next.isPresent() && seen.add(next.get().eventId())) {
            Integer index = mainlineIndex.get(next.get().eventId());
            if (index != null) {
                return index;
            }
            next = graph.authEventOfType(next.get(), PowerLevels.TYPE);
        }
        return NOT_ON_MAINLINE;
    }
}
