package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps a room's current state equal to the resolution of the states after its forward extremities, after an
 * accepted event has moved them. With one extremity (no fork) that is the state after it, and a state event changes
 * one entry; with several, the states are resolved and every entry that changed is written, whether or not the new
 * event is a state event. Each change is recorded with the event's stream position (room_state_changes), the
 * current_state rows and the memberships follow, so /sync sees a resolution's changes like any other. A remote
 * event's resolution is usually done before the room lock ({@link ResolvedCurrentState}); it is redone here only if
 * the extremities moved meanwhile.
 */
final class CurrentStateUpdater {

    private final RoomStore store;
    private final StateResolver resolver;
    private final StateGroupWriter writer;

    CurrentStateUpdater(RoomStore store, StateResolver resolver, StateGroupWriter writer) {
        this.store = store;
        this.resolver = resolver;
        this.writer = writer;
    }

    /**
     * @param event      the accepted event, just stored at {@code event.streamOrdering()}
     * @param groupAfter  the state after it
     * @param extremities the room's forward extremities now that it is stored
     * @param resolved    the current state resolved before the lock, or null
     */
    Mono<Void> afterAccepted(RoomVersion version, EventRow event, long groupAfter, List<String> extremities,
            ResolvedCurrentState resolved) {
        if (extremities.size() == 1 && extremities.get(0).equals(event.eventId())) {
            return event.stateKey() == null ? Mono.empty() : applyOne(event, groupAfter);
        }
        if (resolved != null && resolved.extremities().equals(new HashSet<>(extremities))) {
            return applyResolved(event, groupAfter, resolved.state());
        }
        return store.stateGroupsAt().groupsOf(extremities).flatMap(groups -> resolver.resolve(version,
                new ArrayList<>(groups.values())))
                .flatMap(state -> applyResolved(event, groupAfter, state));
    }

    private Mono<Void> applyOne(EventRow event, long groupAfter) {
        StateEntry entry = new StateEntry(event.type(), event.stateKey(), event.eventId());
        return store.currentState().put(event.roomId(), entry)
                .then(membership(event, event.streamOrdering()))
                .then(store.stateChanges().record(event.roomId(), event.streamOrdering(), groupAfter));
    }

    private Mono<Void> applyResolved(EventRow event, long groupAfter, Map<StateTuple, String> resolved) {
        String roomId = event.roomId();
        return store.currentState().list(roomId).map(StateResolver::map).flatMap(current -> {
            Map<StateTuple, String> changed = new HashMap<>();
            resolved.forEach((key, id) -> {
                if (!id.equals(current.get(key))) {
                    changed.put(key, id);
                }
            });
            List<StateTuple> removed = current.keySet().stream().filter(key -> !resolved.containsKey(key)).toList();
            if (changed.isEmpty() && removed.isEmpty()) {
                return Mono.empty();
            }
            Mono<Void> rows = Flux.fromIterable(changed.entrySet()).concatMap(e -> store.currentState().put(roomId,
                    new StateEntry(e.getKey().type(), e.getKey().stateKey(), e.getValue())))
                    .thenMany(Flux.fromIterable(removed).concatMap(key -> store.currentState().remove(roomId,
                            key.type(), key.stateKey())))
                    .then();
            List<String> memberEvents = changed.entrySet().stream()
                    .filter(e -> Membership.TYPE.equals(e.getKey().type())).map(Map.Entry::getValue).toList();
            Mono<Void> members = memberEvents.isEmpty() ? Mono.empty() : store.events().findAll(memberEvents)
                    .flatMapMany(Flux::fromIterable)
                    .concatMap(member -> membership(member, event.streamOrdering())).then();
            return rows.then(members)
                    .then(writer.write(roomId, groupAfter, resolved))
                    .flatMap(group -> store.stateChanges().record(roomId, event.streamOrdering(), group));
        });
    }

    /** The membership row of a member event that is now current, at the stream position of the change. */
    private Mono<Void> membership(EventRow member, long stream) {
        if (!Membership.TYPE.equals(member.type())) {
            return Mono.empty();
        }
        String membership = EventContent.of(member.json()).path("membership").stringValue("");
        return store.memberships().put(new MembershipRow(member.roomId(), member.stateKey(), membership,
                member.eventId(), stream, false));
    }
}
