package org.myelin.room.graph;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventStatus;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthRules;
import org.myelin.federation.protocol.auth.EventAcceptance;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.auth.StateTuple;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.RoomEvent;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * The one event pipeline of the room graph. Local events: each append is one transaction that first locks the
 * room's row ({@code SELECT ... FOR UPDATE}), so appends to one room are serialised across every node sharing the
 * database; it then reads the forward extremities (referencing up to {@link #MAX_PREV_EVENTS} of them, which merges
 * forks) and the needed current state, builds, signs and authorises the event on the CPU scheduler
 * ({@link org.myelin.federation.protocol.auth.EventAcceptance}), and stores it through {@link EventWriter}. Remote
 * events go through {@link #accept}, the same checks and the same writer.
 */
public final class RoomEventService {

    /** Create events tried, each a millisecond later, before a derived room ID clash is an error. */
    private static final int MAX_CREATE_ATTEMPTS = 16;

    /** The most forward extremities a local event references; merging more forks waits for the next event. */
    static final int MAX_PREV_EVENTS = 10;

    private final RoomStore store;
    private final EventBuilder builder;
    private final StateGroupWriter stateGroups;
    private final StateResolver resolver;
    private final EventWriter writer;
    private final PduAcceptor acceptor;
    private final Clock clock;
    private final Scheduler cpu;
    private final Redactions redactions;
    private final FederatedJoins joins;
    private final Outliers outliers;

    /**
     * @param serverName   this server; the events it checks were signed with its key, or came from another
     *                     server with every signature the event needs verified on receipt (PduChecks), so for
     *                     restricted joins a signature of the authoriser's server counts as valid when present
     * @param snapshotMin  deltas always allowed before a state snapshot
     * @param snapshotDiv  a delta chain may also grow to state size / snapshotDiv
     */
    public RoomEventService(RoomStore store, EventSigning signing, ServerName serverName, Clock clock, Scheduler cpu,
            int snapshotMin, int snapshotDiv) {
        this.store = store;
        AuthRules rules = new AuthRules(new ThirdPartyInviteSignatures(),
                (event, server) -> serverName.value().equals(server)
                        || event instanceof EventView view && view.hasSignatureFrom(server));
        this.builder = new EventBuilder(signing, rules);
        this.stateGroups = new StateGroupWriter(store.stateGroups(), snapshotMin, snapshotDiv);
        this.resolver = new StateResolver(store, rules, cpu);
        this.redactions = new Redactions(store);
        this.writer = new EventWriter(store, stateGroups, new CurrentStateUpdater(store, resolver, stateGroups),
                redactions);
        this.acceptor = new PduAcceptor(store, new EventAcceptance(rules), resolver, stateGroups, writer, cpu);
        this.clock = clock;
        this.cpu = cpu;
        this.outliers = new Outliers(store);
        this.joins = new FederatedJoins(store, builder, writer, clock, cpu, new RestrictedJoins(store, serverName));
    }

    /** Joins across servers: the resident's join template and the joiner's storing of a room it joined. */
    public FederatedJoins joins() {
        return joins;
    }

    /**
     * Checks and stores an event another server built (see {@link PduAcceptor}): accepted, rejected or soft-failed.
     * Fails with {@link MissingEventsException} when one of its auth or prev events is not stored yet.
     *
     * @param backfilled whether the event is history from before the room's timeline
     */
    public Mono<Outcome> accept(Pdu pdu, boolean backfilled) {
        return acceptor.accept(pdu, backfilled);
    }

    /**
     * Checks and stores an event whose prev (or auth) events this server does not have, with the state before it
     * as a server in the room told it: {@code state} and {@code authChain} (already checked: signatures, hashes)
     * are stored as outliers where they are new, then the event is checked against that state (see
     * {@link PduAcceptor#acceptAtState}).
     *
     * @param backfilled whether the event is history from before the room's timeline, else a live event
     */
    public Mono<Outcome> acceptAtState(Pdu pdu, List<Pdu> state, List<Pdu> authChain, boolean backfilled) {
        List<Pdu> known = new ArrayList<>(authChain);
        known.addAll(state);
        Map<StateTuple, String> before = new HashMap<>();
        state.forEach(event -> before.put(new StateTuple(event.type(), event.stateKey().orElseThrow()),
                event.eventId().value()));
        return outliers.store(known).then(acceptor.acceptAtState(pdu, before, backfilled));
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
                        .flatMap(inserted -> inserted
                                ? writer.write(version, built, EventStatus.ACCEPTED, null, true, false, null)
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
                .flatMap(extremities -> {
                    List<EventRow> prevs = latest(extremities);
                    return stateBefore(version, room.roomId(), prevs, extremities.size()).flatMap(groupBefore -> store
                            .currentState().events(room.roomId(), keys).flatMap(state -> Mono
                                    .fromCallable(() -> Optional.ofNullable(duplicate(draft, state))).subscribeOn(cpu)
                                    .flatMap(duplicate -> duplicate.isPresent()
                                            ? Mono.just(RoomEvents.of(duplicate.get()))
                                            : redactions.check(draft, version, state)
                                                    .then(Mono.fromCallable(() -> builder.build(draft, version, prevs,
                                                            state, clock.millis())).subscribeOn(cpu))
                                                    .flatMap(built -> writer.write(version, built,
                                                            EventStatus.ACCEPTED, groupBefore, isNewKey(draft, state),
                                                            false, null)))));
                });
    }

    /** The {@link #MAX_PREV_EVENTS} deepest forward extremities, deepest first. */
    private static List<EventRow> latest(List<EventRow> extremities) {
        return extremities.stream()
                .sorted(Comparator.comparingLong(EventRow::depth).thenComparingLong(EventRow::streamOrdering)
                        .reversed())
                .limit(MAX_PREV_EVENTS).toList();
    }

    /**
     * The state before a local event. Referencing every forward extremity, it is the current state (their
     * resolution, kept up to date by {@link CurrentStateUpdater}); referencing only some of them (more than
     * {@link #MAX_PREV_EVENTS} forks), it is the resolution of those, written as a group of its own.
     */
    private Mono<Long> stateBefore(RoomVersion version, String roomId, List<EventRow> prevs, int extremities) {
        if (prevs.size() == extremities) {
            return store.stateChanges().current(roomId);
        }
        List<String> ids = prevs.stream().map(EventRow::eventId).toList();
        return store.stateGroupsAt().groupsOf(ids).flatMap(groups -> {
            List<Long> prevGroups = ids.stream().map(groups::get).toList();
            long base = prevGroups.get(0);
            return resolver.resolve(version, prevGroups).flatMap(resolved -> stateGroups.write(roomId, base, resolved));
        });
    }

    /**
     * The current state event that a state draft would only repeat: same type, state key, sender and content
     * (compared as canonical JSON). Sending it again is a no-op that answers with the existing event, as Synapse
     * does for state and membership events; null when the draft changes something.
     */
    private static EventRow duplicate(EventDraft draft, List<EventRow> state) {
        if (!draft.isState()) {
            return null;
        }
        byte[] content = CanonicalJson.encode(draft.content());
        for (EventRow row : state) {
            if (row.type().equals(draft.type()) && row.stateKey().equals(draft.stateKey())) {
                JsonNode stored = EventBuilder.parse(row.json(), RoomVersions.V1);
                return draft.sender().toString().equals(stored.path("sender").stringValue(null))
                        && Arrays.equals(content, CanonicalJson.encode(stored.path("content"))) ? row : null;
            }
        }
        return null;
    }

    private static boolean isNewKey(EventDraft draft, List<EventRow> state) {
        return draft.isState() && state.stream().noneMatch(row -> new StateTuple(row.type(), row.stateKey())
                .equals(new StateTuple(draft.type(), draft.stateKey())));
    }
}
