package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.state.StateResolution;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The state after a set of events: the resolution (state resolution v2, or v2.1 from room version 12) of their
 * state groups. One group is its own state and costs one read; several load their states, every event in them and
 * their auth chains, and resolve on the CPU scheduler.
 */
final class StateResolver {

    private final RoomStore store;
    private final StateResolution resolution;
    private final Scheduler cpu;

    StateResolver(RoomStore store, AuthRules rules, Scheduler cpu) {
        this.store = store;
        this.resolution = new StateResolution(rules);
        this.cpu = cpu;
    }

    /** The resolved state of these groups (at least one). */
    Mono<Map<StateTuple, String>> resolve(RoomVersion version, List<Long> groups) {
        Set<Long> distinct = new HashSet<>(groups);
        return Flux.fromIterable(distinct).concatMap(group -> store.stateGroups().load(group).map(StateResolver::map))
                .collectList()
                .flatMap(states -> resolveStates(version, states, List.of()));
    }

    /**
     * The resolution of these groups' states together with the state after {@code event}, an event not stored
     * yet whose state after is {@code stateAfter}.
     */
    Mono<Map<StateTuple, String>> resolveWith(RoomVersion version, List<Long> groups, EventView event,
            Map<StateTuple, String> stateAfter) {
        return Flux.fromIterable(new HashSet<>(groups))
                .concatMap(group -> store.stateGroups().load(group).map(StateResolver::map))
                .collectList()
                .flatMap(states -> {
                    List<Map<StateTuple, String>> all = new ArrayList<>(states);
                    all.add(stateAfter);
                    return resolveStates(version, all, List.of(event));
                });
    }

    /**
     * The resolution of {@code states}; {@code unstored} are events of those states not stored yet (an event about
     * to be written, whose state after is among them).
     */
    private Mono<Map<StateTuple, String>> resolveStates(RoomVersion version, List<Map<StateTuple, String>> states,
            List<EventView> unstored) {
        if (states.size() == 1) {
            return Mono.just(states.get(0));
        }
        Set<String> ids = new HashSet<>();
        states.forEach(state -> ids.addAll(state.values()));
        unstored.forEach(event -> {
            ids.remove(event.eventId());
            ids.addAll(event.authEventIds());
        });
        return store.events().authChain(ids).flatMap(chain -> {
            ids.addAll(chain);
            return store.events().findAll(ids).zipWith(store.events().rejectedAmong(ids));
        }).flatMap(found -> Mono.fromCallable(() -> {
            Set<String> rejected = new HashSet<>(found.getT2());
            Map<String, AuthEvent> events = new HashMap<>();
            unstored.forEach(event -> events.put(event.eventId(), event));
            for (EventRow row : found.getT1()) {
                events.put(row.eventId(), new EventView(row.eventId(), EventBuilder.parse(row.json(), version), version,
                        rejected.contains(row.eventId())));
            }
            return resolution.resolve(version, states, id -> Optional.ofNullable(events.get(id)));
        }).subscribeOn(cpu));
    }

    static Map<StateTuple, String> map(List<StateEntry> entries) {
        Map<StateTuple, String> state = new HashMap<>();
        entries.forEach(e -> state.put(new StateTuple(e.type(), e.stateKey()), e.eventId()));
        return state;
    }

    static List<StateEntry> entries(Map<StateTuple, String> state) {
        List<StateEntry> entries = new ArrayList<>(state.size());
        state.forEach((key, id) -> entries.add(new StateEntry(key.type(), key.stateKey(), id)));
        return entries;
    }
}
