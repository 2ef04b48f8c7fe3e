package org.myelin.federation.protocol.state;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;

import tools.jackson.databind.JsonNode;

/**
 * The "reverse topological power ordering" of state resolution v2: Kahn's algorithm over the auth DAG, choosing
 * among ready events the one whose sender has the greatest power (from the event's own auth events), then the
 * smallest {@code origin_server_ts}, then the smallest event ID.
 */
final class PowerOrdering {

    private final EventGraph graph;
    private final Map<String, Long> senderPower = new HashMap<>();

    PowerOrdering(EventGraph graph) {
        this.graph = graph;
    }

    /** Sorts {@code events} (event IDs known to the graph), earliest first. */
    List<String> sort(Set<String> events) {
        Comparator<String> order = Comparator.<String>comparingLong(id -> -senderPower(id))
                .thenComparingLong(id -> graph.require(id).originServerTs())
                .thenComparing(Comparator.naturalOrder());
        return TopologicalSort.sort(events, id -> nearestAuthAncestors(id, events), order);
    }

    /**
     * The members of {@code events} that {@code id} reaches through auth_events without passing another member:
     * edges of the auth DAG restricted to {@code events}, keeping orderings that run through events outside it.
     */
    private Collection<String> nearestAuthAncestors(String id, Set<String> events) {
        Set<String> reached = graph.walk(List.of(id), authId -> !events.contains(authId));
        reached.retainAll(events);
        return reached;
    }

    /**
     * 1. The sender's power level "when looking at their auth_events": the power levels event among the auth
     * events, with the room's creators (the creator of a room without power levels; v12 creators) from its create
     * event.
     */
    private long senderPower(String id) {
        return senderPower.computeIfAbsent(id, key -> {
            AuthEvent event = graph.require(key);
            AuthEvent powerLevels = graph.authEventOfType(event, PowerLevels.TYPE).orElse(null);
            Optional<AuthEvent> create = graph.createEventFor(event);
            if (create.isPresent()) {
                RoomCreate room = RoomCreate.of(create.get(), graph.version());
                return PowerLevels.of(powerLevels, room, graph.version()).userLevel(event.sender());
            }
            // NOTSPEC: the spec assumes the create event is known; without it nobody counts as a creator.
            return powerLevels == null ? 0 : statedLevel(powerLevels.content(), event.sender());
        });
    }

    private long statedLevel(JsonNode content, String userId) {
        OptionalLong user = PowerLevels.level(content.path("users").path(userId), graph.version());
        if (user.isPresent()) {
            return user.getAsLong();
        }
        return PowerLevels.level(content.path("users_default"), graph.version()).orElse(0);
    }
}
