package org.myelin.clientapi.slidingsync;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.myelin.room.api.StateSelection;

/**
 * A room config's {@code required_state}: state keys by event type, as the client wrote them, with the MSC's
 * special values: {@code *} for any type or any state key, {@code $ME} for the requesting user, and
 * {@code ["m.room.member", "$LAZY"]} for lazily loaded members (those of the timeline's senders and targets).
 * {@code ["*", "*"]} takes the whole state; with {@code $LAZY} and no {@code ["m.room.member", "*"]} beside it,
 * the whole state but the member events, which are then lazily loaded (MSC4186's "everything with lazy members";
 * NOTSPEC: Synapse answers every member event there).
 *
 * @param entries state keys by type, sorted (so equal configs are equal values)
 */
public record RequiredState(Map<String, Set<String>> entries) {

    static final String WILDCARD = "*";
    static final String LAZY = "$LAZY";
    static final String ME = "$ME";

    /** No state at all. */
    static final RequiredState NONE = new RequiredState(Map.of());

    public RequiredState {
        Map<String, Set<String>> copy = new TreeMap<>();
        entries.forEach((type, keys) -> copy.put(type, Set.copyOf(new TreeSet<>(keys))));
        entries = Collections.unmodifiableMap(copy);
    }

    /** The config of {@code [type, state_key]} pairs. */
    static RequiredState of(Collection<List<String>> pairs) {
        Map<String, Set<String>> entries = new TreeMap<>();
        for (List<String> pair : pairs) {
            entries.computeIfAbsent(pair.get(0), t -> new TreeSet<>()).add(pair.get(1));
        }
        return new RequiredState(entries);
    }

    /** Everything either config asks for. */
    RequiredState union(RequiredState other) {
        Map<String, Set<String>> merged = new TreeMap<>();
        entries.forEach((type, keys) -> merged.computeIfAbsent(type, t -> new TreeSet<>()).addAll(keys));
        other.entries.forEach((type, keys) -> merged.computeIfAbsent(type, t -> new TreeSet<>()).addAll(keys));
        return new RequiredState(merged);
    }

    /** What this config takes of a room's state for {@code userId}. */
    StateSelection selection(String userId) {
        boolean allTypes = false;
        boolean allMembers = false;
        boolean lazy = false;
        Set<String> types = new HashSet<>();
        Set<String> anyTypeKeys = new HashSet<>();
        Set<StateSelection.Key> keys = new HashSet<>();
        for (Map.Entry<String, Set<String>> entry : entries.entrySet()) {
            String type = entry.getKey();
            for (String key : entry.getValue()) {
                String stateKey = ME.equals(key) ? userId : key;
                if (WILDCARD.equals(type) && WILDCARD.equals(key)) {
                    allTypes = true;
                } else if (WILDCARD.equals(type)) {
                    anyTypeKeys.add(stateKey);
                } else if (WILDCARD.equals(key)) {
                    if (StateSelection.MEMBER.equals(type)) {
                        allMembers = true;
                    } else {
                        types.add(type);
                    }
                } else if (StateSelection.MEMBER.equals(type) && LAZY.equals(key)) {
                    lazy = true;
                } else {
                    keys.add(new StateSelection.Key(type, stateKey));
                }
            }
        }
        allMembers |= allTypes && !lazy;
        return new StateSelection(allTypes, allMembers, lazy && !allMembers, types, anyTypeKeys, keys);
    }
}
