package org.myelin.room.api;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which entries of a room state a sliding sync read wants ({@code required_state} resolved for one user, plus
 * what the room summary needs). Entries are OR'ed.
 *
 * @param allTypes    every entry of every type but m.room.member
 * @param allMembers  every m.room.member entry
 * @param lazyMembers the member events of the timeline's senders and targets (lazy loading); the read adds them
 * @param types       types (never m.room.member) whose every entry is wanted
 * @param anyTypeKeys state keys wanted in every type
 * @param keys        single entries
 */
public record StateSelection(boolean allTypes, boolean allMembers, boolean lazyMembers, Set<String> types,
        Set<String> anyTypeKeys, Set<Key> keys) {

    /** The member event type, which lazy loading and {@code allMembers} are about. */
    public static final String MEMBER = "m.room.member";

    /** Nothing. */
    public static final StateSelection NONE = new StateSelection(false, false, false, Set.of(), Set.of(), Set.of());

    /** One state entry's key. */
    public record Key(String type, String stateKey) {
    }

    public StateSelection {
        types = Set.copyOf(types);
        anyTypeKeys = Set.copyOf(anyTypeKeys);
        keys = Set.copyOf(keys);
        if (types.contains(MEMBER)) {
            throw new IllegalArgumentException("every member entry is allMembers, not a type");
        }
    }

    /** Just these entries. */
    public static StateSelection of(Collection<Key> keys) {
        return new StateSelection(false, false, false, Set.of(), Set.of(), Set.copyOf(keys));
    }

    /** Whether an entry of the state is wanted (lazily loaded members aside). */
    public boolean matches(String type, String stateKey) {
        if (anyTypeKeys.contains(stateKey) || keys.contains(new Key(type, stateKey))) {
            return true;
        }
        return MEMBER.equals(type) ? allMembers : allTypes || types.contains(type);
    }

    /** Whether this selection takes every entry {@code other} takes (lazy loading counts as wanting members). */
    public boolean covers(StateSelection other) {
        if (other.allTypes && !allTypes || other.allMembers && !allMembers
                || other.lazyMembers && !lazyMembers && !allMembers) {
            return false;
        }
        return other.types.stream().allMatch(t -> allTypes || types.contains(t))
                && anyTypeKeys.containsAll(other.anyTypeKeys)
                && other.keys.stream().allMatch(k -> matches(k.type(), k.stateKey()));
    }

    /** Whether nothing at all is wanted. */
    public boolean isEmpty() {
        return !allTypes && !allMembers && !lazyMembers && types.isEmpty() && anyTypeKeys.isEmpty() && keys.isEmpty();
    }

    /** Everything either selection wants. */
    public StateSelection union(StateSelection other) {
        Set<String> t = new HashSet<>(types);
        t.addAll(other.types);
        Set<String> a = new HashSet<>(anyTypeKeys);
        a.addAll(other.anyTypeKeys);
        Set<Key> k = new HashSet<>(keys);
        k.addAll(other.keys);
        return new StateSelection(allTypes || other.allTypes, allMembers || other.allMembers,
                lazyMembers || other.lazyMembers, t, a, k);
    }

    /** This selection with more single entries. */
    public StateSelection with(Collection<Key> more) {
        return union(of(more));
    }
}
