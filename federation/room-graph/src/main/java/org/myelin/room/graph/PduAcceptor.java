package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventStatus;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.AuthState;
import org.myelin.federation.protocol.auth.EventAcceptance;
import org.myelin.federation.protocol.auth.EventAcceptance.Acceptance;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.function.Tuple2;

/**
 * The accept step for an event another server built, once the federation layer has checked its format, signatures
 * and content hash: the spec's checks 4–6
 * (https://spec.matrix.org/v1.19/server-server-api/#checks-performed-on-receipt-of-a-pdu) through
 * {@link EventAcceptance}, then storage through the same {@link EventWriter} local events use. The state before
 * the event (the resolution of the states after its prev events) and the current state the room will have if the
 * event is accepted are computed before the room lock is taken; under it come the current-state check, the
 * re-check that the extremities have not moved meanwhile, and the writes. Every auth and prev event must be stored
 * already (fetching them is the federation layer's job): otherwise the result is {@link MissingEventsException}.
 */
final class PduAcceptor {

    private final RoomStore store;
    private final EventAcceptance acceptance;
    private final StateResolver resolver;
    private final StateGroupWriter stateGroups;
    private final EventWriter writer;
    private final Scheduler cpu;

    PduAcceptor(RoomStore store, EventAcceptance acceptance, StateResolver resolver, StateGroupWriter stateGroups,
            EventWriter writer, Scheduler cpu) {
        this.store = store;
        this.acceptance = acceptance;
        this.resolver = resolver;
        this.stateGroups = stateGroups;
        this.writer = writer;
        this.cpu = cpu;
    }

    /**
     * Checks and stores {@code pdu}; a PDU already stored keeps its first outcome, except that a backfilled event
     * held only as an outlier (a state or auth event received with a join) takes its place in the timeline.
     *
     * @param backfilled whether it is history from before what the room's timeline holds (ordered below zero,
     *                   never a forward extremity, never part of the current state)
     */
    Mono<Outcome> accept(Pdu pdu, boolean backfilled) {
        String eventId = pdu.eventId().value();
        return store.events().status(eventId).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(status -> status.isPresent() && !(backfilled && status.get().outlier())
                        ? Mono.just(outcomeOf(status.get()))
                        : checkAndStore(pdu, backfilled, status.isPresent()));
    }

    /**
     * Checks and stores an event whose prev events this server does not have (a backfilled event at the edge of
     * what it holds, or a live one after a gap nobody filled), with {@code before} (the state before it, as a server
     * in the room told; every event of it stored) as its state before. Its auth events must be stored. A live event
     * so stored becomes a forward extremity, its current-state effect resolved with the others'.
     */
    Mono<Outcome> acceptAtState(Pdu pdu, Map<StateTuple, String> before, boolean backfilled) {
        String eventId = pdu.eventId().value();
        return store.events().status(eventId).map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(status -> status.isPresent() && !status.get().outlier() ? Mono.just(outcomeOf(status.get()))
                        : authOf(pdu).flatMap(auth -> store.db().inTransaction(store.stateGroups()
                                .create(pdu.roomId().value(), null, 0, before.size(), StateResolver.entries(before))
                                .flatMap(group -> locked(pdu, room -> checkLocked(room, pdu, auth.getT1(),
                                        new HashSet<>(auth.getT2()), List.of(group), before, backfilled, null,
                                        status.isPresent()))))));
    }

    private Mono<Outcome> checkAndStore(Pdu pdu, boolean backfilled, boolean promote) {
        RoomVersion version = pdu.roomVersion();
        List<String> prevIds = pdu.prevEvents().stream().map(EventId::value).toList();
        return storedAuth(pdu).flatMap(auth -> store.stateGroupsAt().groupsOf(prevIds).flatMap(prevGroups -> {
                    Set<String> missing = missingAuth(pdu, auth.getT1());
                    prevIds.stream().filter(id -> !prevGroups.containsKey(id)).forEach(missing::add);
                    if (!missing.isEmpty()) {
                        return Mono.error(new MissingEventsException(missing));
                    }
                    List<Long> groups = prevIds.stream().map(prevGroups::get).toList();
                    return otherExtremities(pdu, prevIds, backfilled).flatMap(others -> stateBefore(pdu, groups,
                            others.isEmpty()).flatMap(before -> projected(pdu, others, before)
                            .map(Optional::of).defaultIfEmpty(Optional.empty())
                            .flatMap(projection -> store.db().inTransaction(locked(pdu, room -> checkLocked(room,
                                    pdu, auth.getT1(), new HashSet<>(auth.getT2()), groups, before, backfilled,
                                    projection.orElse(null), promote))))));
                }));
    }

    /**
     * The room's forward extremities that the event does not follow, whose states the current state must be
     * resolved with once it is stored; none for backfill, which never changes the current state.
     */
    private Mono<List<String>> otherExtremities(Pdu pdu, List<String> prevIds, boolean backfilled) {
        if (backfilled) {
            return Mono.just(List.of());
        }
        return store.extremities().list(pdu.roomId().value())
                .map(extremities -> extremities.stream().filter(id -> !prevIds.contains(id)).toList());
    }

    /**
     * The state before the event: the resolution of its prev events' states. When they all have one state group
     * and nothing is to be resolved with it afterwards ({@code alone}: the event follows every forward extremity),
     * only the keys its checks read are loaded (its auth keys and its own key), not the whole state, which in a
     * large room is tens of thousands of entries for every event received.
     */
    private Mono<Map<StateTuple, String>> stateBefore(Pdu pdu, List<Long> groups, boolean alone) {
        if (groups.isEmpty()) {
            return Mono.just(Map.of());
        }
        if (!alone || new HashSet<>(groups).size() > 1) {
            return resolver.resolve(pdu.roomVersion(), groups);
        }
        long group = groups.get(0);
        return store.stateGroupsAt().resolve(List.of(group), checkedKeys(pdu))
                .map(byGroup -> StateResolver.map(byGroup.getOrDefault(group, List.of())));
    }

    /** The state keys the checks of the event read from the state before it: its auth keys and its own key. */
    private static List<StateKey> checkedKeys(Pdu pdu) {
        EventDraft draft = BuiltEvent.draftOf(pdu);
        Set<StateKey> keys = new HashSet<>();
        EventBuilder.stateKeysFor(draft, pdu.roomVersion())
                .forEach(key -> keys.add(new StateKey(key.type(), key.stateKey())));
        if (draft.isState()) {
            keys.add(new StateKey(draft.type(), draft.stateKey()));
        }
        return List.copyOf(keys);
    }

    /** The event's stored auth events and those of them that were rejected. */
    private Mono<Tuple2<List<EventRow>, List<String>>> storedAuth(Pdu pdu) {
        List<String> authIds = pdu.authEvents().stream().map(EventId::value).toList();
        return store.events().findAll(authIds).zipWith(store.events().rejectedAmong(authIds));
    }

    /** The event's stored auth events; {@link MissingEventsException} when one is not stored. */
    private Mono<Tuple2<List<EventRow>, List<String>>> authOf(Pdu pdu) {
        return storedAuth(pdu).flatMap(auth -> {
            Set<String> missing = missingAuth(pdu, auth.getT1());
            return missing.isEmpty() ? Mono.just(auth) : Mono.error(new MissingEventsException(missing));
        });
    }

    private static Set<String> missingAuth(Pdu pdu, List<EventRow> stored) {
        Set<String> missing = new HashSet<>();
        pdu.authEvents().forEach(id -> missing.add(id.value()));
        stored.forEach(row -> missing.remove(row.eventId()));
        return missing;
    }

    /** {@code then} with the room's row locked, inside the caller's transaction. */
    private Mono<Outcome> locked(Pdu pdu, Function<RoomRow, Mono<Outcome>> then) {
        return store.rooms().lock(pdu.roomId().value())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Unknown room " + pdu.roomId().value())))
                .flatMap(then);
    }

    /**
     * The current state the room will have if the event is accepted and the extremities do not move meanwhile,
     * resolved before the lock from the state after the event and those of the {@code others} extremities; empty
     * when there are none (the event follows every extremity, or it is backfill).
     */
    private Mono<ResolvedCurrentState> projected(Pdu pdu, List<String> others, Map<StateTuple, String> before) {
        if (others.isEmpty()) {
            return Mono.empty();
        }
        String eventId = pdu.eventId().value();
        Map<StateTuple, String> after = new HashMap<>(before);
        pdu.stateKey().ifPresent(key -> after.put(new StateTuple(pdu.type(), key), eventId));
        Set<String> next = new HashSet<>(others);
        next.add(eventId);
        return store.stateGroupsAt().groupsOf(others).flatMap(groups -> resolver.resolveWith(
                pdu.roomVersion(), new ArrayList<>(groups.values()),
                new EventView(eventId, pdu.json(), pdu.roomVersion()), after))
                .map(state -> new ResolvedCurrentState(next, state));
    }

    /** @param promote whether the event is stored as an outlier, which this storing replaces */
    private Mono<Outcome> checkLocked(RoomRow room, Pdu pdu, List<EventRow> authRows, Set<String> rejectedAuth,
            List<Long> prevGroups, Map<StateTuple, String> before, boolean backfilled,
            ResolvedCurrentState projection, boolean promote) {
        RoomVersion version = pdu.roomVersion();
        EventDraft draft = BuiltEvent.draftOf(pdu);
        Set<StateTuple> keys = EventBuilder.stateKeysFor(draft, version);
        List<String> beforeIds = keys.stream().map(before::get).filter(id -> id != null).toList();
        List<StateKey> currentKeys = keys.stream().map(k -> new StateKey(k.type(), k.stateKey())).toList();
        return store.events().findAll(beforeIds).zipWith(store.currentState().events(room.roomId(), currentKeys))
                .flatMap(states -> Mono.fromCallable(() -> check(pdu, authRows, rejectedAuth, states.getT1(),
                        states.getT2())).subscribeOn(cpu))
                .flatMap(result -> groupBefore(room.roomId(), prevGroups, before).flatMap(groupBefore -> {
                    boolean newKey = draft.isState()
                            && !before.containsKey(new StateTuple(draft.type(), draft.stateKey()));
                    Mono<Void> replaced = promote ? store.events().deleteOutlier(pdu.eventId().value()) : Mono.empty();
                    return replaced.then(writer.write(version, BuiltEvent.of(pdu), statusOf(result),
                            groupBefore.orElse(null), newKey, backfilled, projection))
                            .thenReturn(result.outcome());
                }));
    }

    private Acceptance check(Pdu pdu, List<EventRow> authRows, Set<String> rejectedAuth, List<EventRow> beforeRows,
            List<EventRow> currentRows) {
        RoomVersion version = pdu.roomVersion();
        AuthEvent event = new EventView(pdu.eventId().value(), pdu.json(), version);
        List<AuthEvent> listed = new ArrayList<>();
        authRows.forEach(row -> listed.add(view(row, version, rejectedAuth.contains(row.eventId()))));
        AuthState stateBefore = AuthState.ofRoomState(beforeRows.stream().map(row -> view(row, version, false))
                .toList());
        AuthState current = AuthState.ofRoomState(currentRows.stream().map(row -> view(row, version, false))
                .toList());
        AuthEvent create = version.roomIdFromCreateEvent() && !pdu.isCreateEvent()
                ? stateBefore.get("m.room.create", "").orElse(null) : null;
        return acceptance.check(event, AuthState.ofAuthEvents(listed, create), stateBefore, current, version);
    }

    /**
     * The group of the one prev event, or a group written for the resolution of several; none for the create event,
     * which has no prev events.
     */
    private Mono<Optional<Long>> groupBefore(String roomId, List<Long> prevGroups, Map<StateTuple, String> before) {
        if (prevGroups.isEmpty()) {
            return Mono.just(Optional.empty());
        }
        if (new HashSet<>(prevGroups).size() == 1) {
            return Mono.just(Optional.of(prevGroups.get(0)));
        }
        return stateGroups.write(roomId, prevGroups.get(0), before).map(Optional::of);
    }

    private static EventView view(EventRow row, RoomVersion version, boolean rejected) {
        return new EventView(row.eventId(), EventBuilder.parse(row.json(), version), version, rejected);
    }

    private static EventStatus statusOf(Acceptance result) {
        return switch (result.outcome()) {
            case ACCEPTED -> EventStatus.ACCEPTED;
            case REJECTED -> EventStatus.rejected(result.reason());
            case SOFT_FAILED -> EventStatus.softFail();
        };
    }

    private static Outcome outcomeOf(EventStatus status) {
        if (status.rejectedReason() != null) {
            return Outcome.REJECTED;
        }
        return status.softFailed() ? Outcome.SOFT_FAILED : Outcome.ACCEPTED;
    }
}
