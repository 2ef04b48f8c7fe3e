package org.myelin.federation.protocol.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.AuthState;
import org.myelin.federation.protocol.auth.JoinRules;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersion;

/**
 * State resolution v1 (https://spec.matrix.org/v1.19/rooms/v1/#state-resolution), room version 1 only. The
 * result starts as the keys the states agree on (a key some states lack is not a conflict); then the conflicting
 * {@code m.room.power_levels}, {@code m.room.join_rules} and {@code m.room.member} events are resolved in that
 * order, each key by taking its events in ascending depth, then descending sha1(event_id), and keeping each next
 * one while the auth rules allow it in the state so far; every other conflicting key gets the event of highest
 * depth, then lowest sha1(event_id), that the auth rules allow (the last one when none is allowed, as Synapse
 * does).
 */
final class StateResolutionV1 {

    private static final List<String> AUTH_TYPES = List.of(PowerLevels.TYPE, JoinRules.TYPE, Membership.TYPE);
    private static final Comparator<StateTuple> KEY_ORDER = Comparator.comparing(StateTuple::type)
            .thenComparing(StateTuple::stateKey);

    private final AuthRules rules;

    StateResolutionV1(AuthRules rules) {
        this.rules = rules;
    }

    Map<StateTuple, String> resolve(List<Map<StateTuple, String>> stateSets, EventGraph graph, RoomVersion version) {
        Map<StateTuple, Set<String>> candidates = new HashMap<>();
        stateSets.forEach(state -> state.forEach((key, id) ->
                candidates.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(id)));
        Map<StateTuple, String> resolved = new HashMap<>();
        Map<StateTuple, List<AuthEvent>> conflicted = new HashMap<>();
        candidates.forEach((key, ids) -> {
            if (ids.size() == 1) {
                resolved.put(key, ids.iterator().next());
            } else {
                conflicted.put(key, ids.stream().map(graph::require).toList());
            }
        });
        for (String type : AUTH_TYPES) {
            conflicted.keySet().stream().filter(key -> key.type().equals(type)).sorted(KEY_ORDER)
                    .forEach(key -> resolveAuthKey(key, conflicted.get(key), resolved, graph, version));
        }
        conflicted.keySet().stream().filter(key -> !AUTH_TYPES.contains(key.type())).sorted(KEY_ORDER)
                .forEach(key -> resolved.put(key, pickAllowed(conflicted.get(key), resolved, graph, version)));
        return resolved;
    }

    private void resolveAuthKey(StateTuple key, List<AuthEvent> events, Map<StateTuple, String> resolved,
            EventGraph graph, RoomVersion version) {
        List<AuthEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(AuthEvent::depth)
                .thenComparing(StateResolutionV1::sha1, Comparator.reverseOrder()));
        resolved.put(key, ordered.get(0).eventId());
        for (AuthEvent event : ordered.subList(1, ordered.size())) {
            if (!allowed(event, resolved, graph, version)) {
                return;
            }
            resolved.put(key, event.eventId());
        }
    }

    private String pickAllowed(List<AuthEvent> events, Map<StateTuple, String> resolved, EventGraph graph,
            RoomVersion version) {
        List<AuthEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(AuthEvent::depth).reversed().thenComparing(StateResolutionV1::sha1));
        for (AuthEvent event : ordered) {
            if (allowed(event, resolved, graph, version)) {
                return event.eventId();
            }
        }
        return ordered.get(ordered.size() - 1).eventId();
    }

    private boolean allowed(AuthEvent event, Map<StateTuple, String> state, EventGraph graph, RoomVersion version) {
        List<AuthEvent> events = state.values().stream().map(graph::require).toList();
        return rules.check(event, AuthState.ofRoomState(events), version).allowed();
    }

    static String sha1(AuthEvent event) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(event.eventId().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
