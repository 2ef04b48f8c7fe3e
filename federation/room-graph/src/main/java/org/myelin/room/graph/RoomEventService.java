package org.myelin.room.graph;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.RoomEvent;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Appends local events to rooms. Each append is one transaction that first locks the room's row
 * ({@code SELECT ... FOR UPDATE}), so appends to one room are serialised across every node sharing the database;
 * it then reads the forward extremities and the needed current state, builds, signs and authorises the event on
 * the CPU scheduler, and writes the event, its edges, the extremities, its state group, the current state, the
 * membership and the client transaction id together.
 */
public final class RoomEventService {

    /** Create events tried, each a millisecond later, before a derived room ID clash is an error. */
    private static final int MAX_CREATE_ATTEMPTS = 16;

    private final RoomStore store;
    private final EventBuilder builder;
    private final StateGroupWriter stateGroups;
    private final Clock clock;
    private final Scheduler cpu;
    private final Redactions redactions;

    /**
     * @param serverName   this server; events it checks were just signed with its key, so only its signature
     *                     counts as verified for restricted joins until a key ring exists
     * @param snapshotMin  deltas always allowed before a state snapshot
     * @param snapshotDiv  a delta chain may also grow to state size / snapshotDiv
     */
    public RoomEventService(RoomStore store, EventSigning signing, ServerName serverName, Clock clock, Scheduler cpu,
            int snapshotMin, int snapshotDiv) {
        this.store = store;
        this.builder = new EventBuilder(signing, new AuthRules(new ThirdPartyInviteSignatures(),
                (event, server) -> serverName.value().equals(server)));
        this.stateGroups = new StateGroupWriter(store.stateGroups(), snapshotMin, snapshotDiv);
        this.clock = clock;
        this.cpu = cpu;
        this.redactions = new Redactions(store);
    }

    /** The scheduler CPU work of the room graph runs on (signing, auth checks, parsing events for reads). */
    Scheduler cpu() {
        return cpu;
    }

    /** Appends one event in its own transaction. */
    Mono<RoomEvent> append(EventDraft draft) {
        return store.db().inTransaction(appendInTransaction(draft));
    }

    /**
     * Appends one event inside the caller's transaction (taking the room lock if the transaction does not hold it
     * yet). An unknown room is 403 M_FORBIDDEN, as for a room the sender is not in.
     */
    Mono<RoomEvent> appendInTransaction(EventDraft draft) {
        String roomId = draft.roomId().value();
        return store.rooms().lock(roomId)
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden("You are not in room " + roomId)))
                .flatMap(room -> previousTransaction(draft)
                        .switchIfEmpty(Mono.defer(() -> appendLocked(room, draft))));
    }

    /**
     * Creates a room: signs the create event, inserts the room and the event, then runs {@code setUp} (which
     * appends the rest of the initial events) in the same transaction.
     *
     * @param create the create event; its room ID is null in room versions that derive it from the event
     */
    Mono<RoomId> createRoom(EventDraft create, RoomVersion version, boolean publish,
            Function<RoomId, Mono<Void>> setUp) {
        return createRoom(create, version, publish, setUp, clock.millis(), 1);
    }

    /**
     * In room versions that derive the room ID from the create event, two identical requests in one millisecond
     * would make one create event, hence one room ID: the loser tries again one millisecond later, which makes a
     * different event. Random room IDs do not collide in practice, so a clash there is an error.
     */
    private Mono<RoomId> createRoom(EventDraft create, RoomVersion version, boolean publish,
            Function<RoomId, Mono<Void>> setUp, long timestamp, int attempt) {
        return Mono.fromCallable(() -> builder.build(create, version, List.of(), List.of(), timestamp))
                .subscribeOn(cpu)
                .flatMap(built -> store.db().inTransaction(store.rooms()
                        .insert(new RoomRow(built.roomId().value(), version.id(), create.sender().toString(),
                                publish, built.originServerTs()))
                        .flatMap(inserted -> inserted ? persist(built, null, true)
                                : Mono.error(new RoomIdTaken()))
                        .then(store.rooms().lock(built.roomId().value()))
                        .then(Mono.defer(() -> setUp.apply(built.roomId())))
                        .thenReturn(built.roomId())))
                .onErrorResume(RoomIdTaken.class, taken -> version.roomIdFromCreateEvent()
                        && attempt < MAX_CREATE_ATTEMPTS
                                ? createRoom(create, version, publish, setUp,
                                        Math.max(timestamp + 1, clock.millis()), attempt + 1)
                                : Mono.error(new MatrixException(ErrCode.M_ROOM_IN_USE, "Room ID already taken")));
    }

    /** The room ID of a new create event is in use already. */
    private static final class RoomIdTaken extends RuntimeException {
        RoomIdTaken() {
            super("room ID taken", null, false, false);
        }
    }

    private Mono<RoomEvent> previousTransaction(EventDraft draft) {
        if (draft.txnId() == null || draft.deviceId() == null) {
            return Mono.empty();
        }
        return store.transactions().find(draft.sender().toString(), draft.deviceId(), draft.txnPath(), draft.txnId())
                .map(json -> EventBuilder.parse(json, RoomVersions.DEFAULT).path("event_id").stringValue(""))
                .flatMap(store.events()::find)
                .map(RoomEvents::of);
    }

    private Mono<RoomEvent> appendLocked(RoomRow room, EventDraft draft) {
        RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow(
                () -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION, "Unknown room version"));
        List<StateKey> keys = EventBuilder.stateKeysFor(draft, version).stream()
                .map(t -> new StateKey(t.type(), t.stateKey())).toList();
        return store.extremities().list(room.roomId())
                .flatMap(store.events()::findAll)
                .flatMap(prevs -> store.currentState().events(room.roomId(), keys).flatMap(state -> redactions
                        .check(draft, version, state)
                        .then(Mono.fromCallable(() -> builder.build(draft, version, prevs, state, clock.millis()))
                                .subscribeOn(cpu))
                        .flatMap(built -> stateGroupBefore(prevs).map(Optional::of).defaultIfEmpty(Optional.empty())
                                .flatMap(group -> persist(built, group.orElse(null), isNewKey(draft, state))))));
    }

    private Mono<Long> stateGroupBefore(List<EventRow> prevs) {
        return prevs.stream().max(Comparator.comparingLong(EventRow::streamOrdering))
                .map(latest -> store.stateGroups().groupOfEvent(latest.eventId())).orElse(Mono.empty());
    }

    private static boolean isNewKey(EventDraft draft, List<EventRow> state) {
        return draft.isState() && state.stream().noneMatch(row -> new StateTuple(row.type(), row.stateKey())
                .equals(new StateTuple(draft.type(), draft.stateKey())));
    }

    private Mono<RoomEvent> persist(BuiltEvent built, Long groupBefore, boolean newKey) {
        EventDraft draft = built.draft();
        String roomId = built.roomId().value();
        String eventId = built.eventId().value();
        return store.events().nextStreamOrdering().flatMap(stream -> {
            EventRow row = new EventRow(stream, eventId, roomId, draft.type(), draft.stateKey(),
                    draft.sender().toString(), built.depth(), built.depth(), built.originServerTs(),
                    built.canonicalJson(), draft.txnId(), draft.deviceId());
            return store.events().insert(row, built.prevEventIds(), built.authEventIds())
                    .then(store.extremities().advance(roomId, built.prevEventIds(), eventId))
                    .then(redactions.apply(built))
                    .then(groupAfter(built, groupBefore, newKey))
                    .flatMap(group -> store.stateGroups().mapEvent(eventId, group))
                    .then(updateCurrentState(built, stream))
                    .then(recordTransaction(built))
                    .thenReturn(RoomEvents.of(row));
        });
    }

    private Mono<Long> groupAfter(BuiltEvent built, Long groupBefore, boolean newKey) {
        EventDraft draft = built.draft();
        if (!draft.isState()) {
            return groupBefore == null ? Mono.error(new IllegalStateException("No state before " + built.eventId()))
                    : Mono.just(groupBefore);
        }
        return stateGroups.write(built.roomId().value(), groupBefore,
                new StateEntry(draft.type(), draft.stateKey(), built.eventId().value()), newKey);
    }

    private Mono<Void> updateCurrentState(BuiltEvent built, long stream) {
        EventDraft draft = built.draft();
        if (!draft.isState()) {
            return Mono.empty();
        }
        String roomId = built.roomId().value();
        Mono<Void> state = store.currentState().put(roomId,
                new StateEntry(draft.type(), draft.stateKey(), built.eventId().value()));
        if (!"m.room.member".equals(draft.type())) {
            return state;
        }
        String membership = draft.content().path("membership").stringValue("");
        return state.then(store.memberships().put(new MembershipRow(roomId, draft.stateKey(), membership,
                built.eventId().value(), stream, false)));
    }

    private Mono<Void> recordTransaction(BuiltEvent built) {
        EventDraft draft = built.draft();
        if (draft.txnId() == null || draft.deviceId() == null) {
            return Mono.empty();
        }
        String response = JsonNodeFactory.instance.objectNode().put("event_id", built.eventId().value()).toString();
        return store.transactions().insert(draft.sender().toString(), draft.deviceId(), draft.txnPath(),
                draft.txnId(), response, built.originServerTs()).then();
    }
}
