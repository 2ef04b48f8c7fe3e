package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateGroupRepository;
import org.myelin.db.room.StateGroupRow;
import org.myelin.federation.protocol.auth.StateTuple;

import reactor.core.publisher.Mono;

/**
 * Writes the state group after a state event. Normally that is a one-entry delta against the previous group. Once
 * the chain of deltas back to the last snapshot is longer than {@code max(minChain, stateSize / sizeDivisor)} it
 * writes a full snapshot instead, so a read walks a bounded chain while large rooms still pay only
 * {@code sizeDivisor} rows per state event on average (see docs/architecture.md "State storage"). A resolved state
 * is written the same way, as a delta of as many entries as differ from the group it is based on.
 */
final class StateGroupWriter {

    private final StateGroupRepository groups;
    private final int minChain;
    private final int sizeDivisor;

    /**
     * @param minChain    deltas always allowed before a snapshot
     * @param sizeDivisor a chain may also grow to the state size divided by this
     */
    StateGroupWriter(StateGroupRepository groups, int minChain, int sizeDivisor) {
        if (minChain < 1 || sizeDivisor < 1) {
            throw new IllegalArgumentException("minChain and sizeDivisor must be positive");
        }
        this.groups = groups;
        this.minChain = minChain;
        this.sizeDivisor = sizeDivisor;
    }

    /**
     * The id of a new group: {@code prevGroup} with {@code entry} set.
     *
     * @param prevGroup the state before the event, or null for the room's first state event
     * @param newKey    whether {@code entry}'s (type, state_key) is absent from {@code prevGroup}
     */
    Mono<Long> write(String roomId, Long prevGroup, StateEntry entry, boolean newKey) {
        if (prevGroup == null) {
            return groups.create(roomId, null, 0, 1, List.of(entry));
        }
        return groups.find(prevGroup).flatMap(prev -> {
            int size = prev.stateSize() + (newKey ? 1 : 0);
            if (prev.chainLen() + 1 <= Math.max(minChain, size / sizeDivisor)) {
                return groups.create(roomId, prevGroup, prev.chainLen() + 1, size, List.of(entry));
            }
            return snapshot(roomId, prev, entry);
        });
    }

    /**
     * The id of a group holding {@code state}, written as a delta against {@code base} with as many entries as
     * differ, removals included; {@code base} itself when nothing differs. A resolution of several states is
     * written this way.
     */
    Mono<Long> write(String roomId, long base, Map<StateTuple, String> state) {
        return groups.load(base).map(StateResolver::map).flatMap(baseState -> {
            List<StateEntry> delta = new ArrayList<>();
            state.forEach((key, id) -> {
                if (!id.equals(baseState.get(key))) {
                    delta.add(new StateEntry(key.type(), key.stateKey(), id));
                }
            });
            baseState.keySet().stream().filter(key -> !state.containsKey(key))
                    .forEach(key -> delta.add(new StateEntry(key.type(), key.stateKey(), null)));
            if (delta.isEmpty()) {
                return Mono.just(base);
            }
            return groups.find(base).flatMap(prev -> prev.chainLen() + 1 <= Math.max(minChain,
                    state.size() / sizeDivisor)
                            ? groups.create(roomId, base, prev.chainLen() + 1, state.size(), delta)
                            : groups.create(roomId, null, 0, state.size(), StateResolver.entries(state)));
        });
    }

    private Mono<Long> snapshot(String roomId, StateGroupRow prev, StateEntry entry) {
        return groups.load(prev.id()).flatMap(state -> {
            List<StateEntry> full = new ArrayList<>(state.size() + 1);
            for (StateEntry e : state) {
                if (!(e.type().equals(entry.type()) && e.stateKey().equals(entry.stateKey()))) {
                    full.add(e);
                }
            }
            full.add(entry);
            return groups.create(roomId, null, 0, full.size(), full);
        });
    }
}
