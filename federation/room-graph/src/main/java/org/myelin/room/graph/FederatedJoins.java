package org.myelin.room.graph;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventStatus;
import org.myelin.db.room.MemberEvent;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The room graph's part of joins across servers (server-server API "Joining Rooms"): as the resident server, the
 * template a joining server fills in ({@code make_join}); as the joining server, storing a room first learnt
 * through {@code send_join}: its auth chain and state as outliers, the state as the join's state before, and the
 * join as the room's only forward extremity, so the room continues from there like any other.
 */
public final class FederatedJoins {

    private final RoomStore store;
    private final EventBuilder builder;
    private final EventWriter writer;
    private final Clock clock;
    private final Scheduler cpu;
    private final RestrictedJoins restricted;
    private final Outliers outliers;

    FederatedJoins(RoomStore store, EventBuilder builder, EventWriter writer, Clock clock, Scheduler cpu,
            RestrictedJoins restricted) {
        this.restricted = restricted;
        this.store = store;
        this.builder = builder;
        this.writer = writer;
        this.outliers = new Outliers(store);
        this.clock = clock;
        this.cpu = cpu;
    }

    /**
     * A membership event ({@code join} for make_join, {@code leave} for make_leave) for {@code user} on top of the
     * room's forward extremities, authorised against the current state (403 {@code M_FORBIDDEN} when the user may
     * not), without hashes or signatures: the user's server adds those. A join to a restricted room names one of
     * this server's members as its authoriser ({@link #authorisedJoin}).
     */
    public Mono<ObjectNode> template(RoomId roomId, UserId user, RoomVersion version, Membership membership) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", membership.value());
        return (membership == Membership.JOIN ? authorisedJoin(roomId, user, content) : Mono.just(content))
                .flatMap(checked -> template(EventDraft.state(roomId, user, Membership.TYPE, user.toString(), checked),
                        version));
    }

    /**
     * {@code content} of {@code user}'s join with {@code join_authorised_via_users_server} naming a member of this
     * server when the room is restricted and the user neither invited nor joined; fails as
     * {@link RestrictedJoins#authoriser} says when the user may not join that way.
     */
    public Mono<ObjectNode> authorisedJoin(RoomId roomId, UserId user, ObjectNode content) {
        return restricted.authoriser(roomId, user).map(authoriser -> {
            authoriser.ifPresent(u -> content.put(RestrictedJoins.AUTHORISER_KEY, u));
            return content;
        });
    }

    /**
     * Before this server signs another server's join that names one of its members as authoriser: whether the
     * joining user may join that way (in one of the allowed rooms, as this server knows them).
     */
    public Mono<Void> checkAuthorisable(RoomId roomId, UserId user) {
        return restricted.authoriser(roomId, user).then();
    }

    private Mono<ObjectNode> template(EventDraft draft, RoomVersion version) {
        RoomId roomId = draft.roomId();
        List<StateKey> keys = EventBuilder.stateKeysFor(draft, version).stream()
                .map(t -> new StateKey(t.type(), t.stateKey())).toList();
        return store.extremities().list(roomId.value()).flatMap(store.events()::findAll)
                .zipWith(store.currentState().events(roomId.value(), keys))
                .flatMap(both -> Mono.fromCallable(() -> {
                    List<EventRow> prevs = both.getT1().stream()
                            .sorted(Comparator.comparingLong(EventRow::depth).reversed())
                            .limit(RoomEventService.MAX_PREV_EVENTS).toList();
                    BuiltEvent built = builder.build(draft, version, prevs, both.getT2(), clock.millis());
                    ObjectNode event = (ObjectNode) EventBuilder.parse(built.canonicalJson(), version);
                    event.remove(List.of("hashes", "signatures", "unsigned"));
                    if (version.eventIdInPdu()) {
                        event.remove("event_id");
                    }
                    return event;
                }).subscribeOn(cpu));
    }

    /**
     * Stores a room joined through another server: {@code authChain} and {@code state} (already checked: signatures,
     * hashes) as outliers, then {@code join} with {@code state} as the state before it. That state is the room's
     * state from a stream position of its own just below the join, so a /sync whose timeline starts at the join
     * carries it as the state before the timeline, as for a room joined locally. Fails with {@code M_BAD_STATE}
     * when this server already holds the room, and with {@code M_BAD_JSON} when {@code state} has an event without a
     * state key or two events for one (type, state_key).
     */
    public Mono<EventId> storeJoinedRoom(RoomVersion version, Pdu join, List<Pdu> state, List<Pdu> authChain) {
        Pdu create = state.stream().filter(Pdu::isCreateEvent).findFirst().orElseThrow(
                () -> MatrixException.badJson("The room's state has no m.room.create event"));
        String roomId = join.roomId().value();
        RoomRow room = new RoomRow(roomId, version.id(), create.sender().toString(), false, clock.millis());
        List<StateEntry> entries = stateEntries(state);
        boolean newKey = entries.stream().noneMatch(e -> e.type().equals(Membership.TYPE)
                && e.stateKey().equals(join.sender().toString()));
        return store.db().inTransaction(store.rooms().insert(room).flatMap(inserted -> {
            if (!inserted) {
                return Mono.error(new MatrixException(ErrCode.M_BAD_STATE, "This server is already in " + roomId));
            }
            return outliers.store(concat(authChain, state))
                    .then(store.stateGroups().create(roomId, null, 0, entries.size(), entries))
                    .flatMap(group -> store.events().nextStreamOrdering()
                            .flatMap(position -> store.stateChanges().record(roomId, position, group))
                            .then(currentState(roomId, entries, state))
                            .then(writer.write(version, BuiltEvent.of(join), EventStatus.ACCEPTED, group, newKey,
                                    false, null)))
                    .thenReturn(join.eventId());
        }));
    }

    private static List<StateEntry> stateEntries(List<Pdu> state) {
        Map<StateKey, StateEntry> entries = new LinkedHashMap<>();
        for (Pdu pdu : state) {
            String stateKey = pdu.stateKey().orElseThrow(() -> MatrixException.badJson("The room's state has "
                    + pdu.eventId() + ", which is not a state event"));
            StateEntry entry = new StateEntry(pdu.type(), stateKey, pdu.eventId().value());
            StateEntry other = entries.putIfAbsent(new StateKey(pdu.type(), stateKey), entry);
            if (other != null && !other.eventId().equals(entry.eventId())) {
                throw MatrixException.badJson("The room's state has two events for (" + pdu.type() + ", "
                        + stateKey + ")");
            }
        }
        return List.copyOf(entries.values());
    }

    /** The joined room's state as its current state, with a membership row for each member event. */
    private Mono<Void> currentState(String roomId, List<StateEntry> entries, List<Pdu> state) {
        Map<String, Pdu> byId = new HashMap<>();
        state.forEach(pdu -> byId.put(pdu.eventId().value(), pdu));
        List<MemberEvent> members = entries.stream().filter(e -> Membership.TYPE.equals(e.type()))
                .map(e -> new MemberEvent(e.stateKey(),
                        byId.get(e.eventId()).content().path("membership").stringValue(""), e.eventId()))
                .toList();
        return Flux.fromIterable(Outliers.batches(entries)).concatMap(batch -> store.currentState().putAll(roomId, batch))
                .thenMany(Flux.fromIterable(Outliers.batches(members)))
                .concatMap(batch -> store.memberships().putAllFromEvents(roomId, batch))
                .then();
    }

    private static List<Pdu> concat(List<Pdu> a, List<Pdu> b) {
        List<Pdu> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
