package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.db.slidingsync.SlidingRoomListRepository;
import org.myelin.db.slidingsync.SlidingRoomListRepository.RoomListRow;
import org.myelin.db.slidingsync.StateQuery;
import org.myelin.db.sync.SyncRepository;
import org.myelin.db.sync.TimelineQuery;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SlidingRoomData;
import org.myelin.room.api.SlidingRoomListing;
import org.myelin.room.api.SlidingRoomQuery;
import org.myelin.room.api.StateSelection;
import org.myelin.room.api.SyncMembership;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * {@link ClientSlidingSyncApi} over this server's room graph. A room's reads go through {@link RoomReadAccess}
 * like every other read (the scope once per room, each timeline event's history visibility), and its events come
 * out as {@link ClientViews} make them. A room this server does not have (an invite from another server, turned
 * down) is read through {@link ClientSyncApi}, which knows those.
 */
public final class LocalClientSlidingSyncApi implements ClientSlidingSyncApi {

    private static final int HEROES = 5;

    private final RoomStore store;
    private final SyncRepository syncs;
    private final SlidingRoomListRepository lists;
    private final ClientSyncApi syncApi;
    private final RoomReadAccess access;
    private final ClientViews views;

    public LocalClientSlidingSyncApi(RoomStore store, SyncRepository syncs, SlidingRoomListRepository lists,
            ClientSyncApi syncApi, Scheduler cpu) {
        this.store = store;
        this.syncs = syncs;
        this.lists = lists;
        this.syncApi = syncApi;
        this.access = new RoomReadAccess(store, cpu);
        this.views = new ClientViews(store, cpu);
    }

    @Override
    public Mono<List<SlidingRoomListing>> rooms(UserId user, long upTo) {
        return lists.rooms(user.toString(), upTo)
                .map(rows -> rows.stream().map(LocalClientSlidingSyncApi::listing).toList());
    }

    private static SlidingRoomListing listing(RoomListRow row) {
        SyncMembership membership = new SyncMembership(new RoomId(row.roomId()), row.membership(),
                new EventId(row.eventId()), row.streamOrdering());
        if (row.known()) {
            Long bump = "join".equals(row.membership()) ? row.bumpStamp() : null;
            return new SlidingRoomListing(membership, row.sender(), bump, true, true, row.encrypted(),
                    row.roomType());
        }
        // An invite from another server: what its stripped state says, if it has the create event.
        JsonNode create = null;
        boolean encrypted = false;
        if (row.strippedState() != null) {
            for (JsonNode event : CanonicalJson.parse(row.strippedState(), CanonicalJson.Mode.LENIENT)) {
                String type = event.path("type").stringValue("");
                boolean empty = event.path("state_key").stringValue("x").isEmpty();
                create = "m.room.create".equals(type) && empty ? event : create;
                encrypted |= "m.room.encryption".equals(type) && empty;
            }
        }
        String roomType = create == null ? null : create.path("content").path("type").stringValue(null);
        return new SlidingRoomListing(membership, row.sender(), null, false, create != null, encrypted, roomType);
    }

    @Override
    public Mono<Set<String>> roomsWithEvents(Collection<String> roomIds, long since, long upTo) {
        return lists.withEvents(roomIds, since, upTo);
    }

    @Override
    public Mono<Set<String>> spaceChildren(Collection<String> spaceIds) {
        return lists.spaceChildren(spaceIds);
    }

    @Override
    public Mono<Set<StateSelection.Key>> changedState(SyncMembership membership, long since, long upTo) {
        String roomId = membership.roomId().value();
        long upper = upperBound(membership, upTo);
        if (upper <= since) {
            return Mono.just(Set.of());
        }
        return lists.stateEventsIn(roomId, since, upper).flatMap(events -> events.map(Mono::just)
                .orElseGet(() -> syncs.stateGroupAt(roomId, upper).flatMap(to -> syncs.stateGroupAt(roomId, since)
                        .map(Optional::of).defaultIfEmpty(Optional.empty())
                        .flatMap(from -> syncs.stateDelta(from.orElse(null), to, null)))
                        .map(entries -> entries.stream().map(e -> new StateKey(e.type(), e.stateKey())).toList())
                        .defaultIfEmpty(List.of())))
                .map(keys -> {
                    Set<StateSelection.Key> out = new HashSet<>();
                    keys.forEach(k -> out.add(new StateSelection.Key(k.type(), k.stateKey())));
                    return out;
                });
    }

    @Override
    public Mono<SlidingRoomData> room(UserId user, SlidingRoomListing room, SlidingRoomQuery query) {
        return room.known() ? known(user, room.membership(), query) : unknown(user, room.membership(), query);
    }

    /** A room this server does not have: only the user's own events of it (their leave of a remote invite). */
    private Mono<SlidingRoomData> unknown(UserId user, SyncMembership membership, SlidingRoomQuery query) {
        RoomSliceQuery slice = new RoomSliceQuery(query.since(), query.upTo(), Math.max(1, query.timelineLimit()),
                EventFilter.NONE, false, false, Set.of());
        return syncApi.roomSlice(user, membership, slice).map(s -> new SlidingRoomData(
                query.timelineLimit() == 0 ? List.of() : s.timeline(), false, null, List.of(), Set.of(), null,
                List.of()));
    }

    private Mono<SlidingRoomData> known(UserId user, SyncMembership membership, SlidingRoomQuery query) {
        SlidingRoomData nothing = new SlidingRoomData(List.of(), false, null, List.of(), Set.of(), null, List.of());
        return access.scope(user, membership.roomId())
                .onErrorResume(MatrixException.class, e -> Mono.empty())
                .flatMap(scope -> read(user, membership, query, scope))
                .defaultIfEmpty(nothing);
    }

    private Mono<SlidingRoomData> read(UserId user, SyncMembership membership, SlidingRoomQuery query,
            ReadScope scope) {
        String roomId = membership.roomId().value();
        long upper = upperBound(membership, query.upTo());
        return timeline(user, scope, roomId, query.since(), upper, query.timelineLimit())
                .zipWith(summary(user, membership, query)).flatMap(t -> {
                    Timeline timeline = t.getT1();
                    SummaryRead summary = t.getT2();
                    Set<String> lazy = query.state().lazyMembers() ? lazyMembers(timeline, query) : Set.of();
                    List<StateSelection.Key> members = new ArrayList<>();
                    lazy.forEach(u -> members.add(new StateSelection.Key(StateSelection.MEMBER, u)));
                    summary.heroes().forEach(u -> members.add(new StateSelection.Key(StateSelection.MEMBER, u)));
                    return state(scope, roomId, query.state().with(members))
                            .map(state -> assemble(query.state(), timeline, summary, lazy, state));
                });
    }

    /** Splits the state read into the selected entries and the heroes' member events. */
    private static SlidingRoomData assemble(StateSelection selection, Timeline timeline, SummaryRead summary,
            Set<String> lazy, List<RoomEvent> state) {
        List<RoomEvent> selected = new ArrayList<>();
        List<RoomEvent> heroes = new ArrayList<>();
        for (RoomEvent event : state) {
            JsonNode pdu = EventBuilder.parse(event.json(), RoomVersions.V1);
            String type = pdu.path("type").stringValue("");
            String key = pdu.path("state_key").stringValue("");
            boolean member = StateSelection.MEMBER.equals(type);
            if (selection.matches(type, key) || member && lazy.contains(key)) {
                selected.add(event);
            }
            if (member && summary.heroes().contains(key)) {
                heroes.add(event);
            }
        }
        return new SlidingRoomData(timeline.events(), timeline.limited(), timeline.prevBatch(), selected, lazy,
                summary.value(), heroes);
    }

    /** The latest {@code limit} events of the window the user may see, oldest first. */
    private Mono<Timeline> timeline(UserId user, ReadScope scope, String roomId, long since, long upTo, int limit) {
        if (limit == 0 || upTo <= since) {
            return Mono.just(new Timeline(List.of(), false, null));
        }
        TimelineQuery q = new TimelineQuery(roomId, since, upTo, limit + 1, List.of(), List.of(), List.of(),
                List.of(), List.copyOf(scope.ignored()));
        return syncs.latest(q).flatMap(rows -> {
            boolean limited = rows.size() > limit;
            List<EventRow> chronological = new ArrayList<>(limited ? rows.subList(0, limit) : rows);
            chronological.sort(Comparator.comparingLong(EventRow::streamOrdering));
            TimelinePosition prevBatch = chronological.isEmpty() ? null
                    : RoomReadAccess.position(chronological.get(0));
            return access.visible(user, scope, chronological).flatMap(visible -> views.of(scope.version(), visible))
                    .map(events -> new Timeline(events, limited, prevBatch));
        });
    }

    /** Counts and heroes of a joined room, when asked for. */
    private Mono<SummaryRead> summary(UserId user, SyncMembership membership, SlidingRoomQuery query) {
        if (!query.summary() || !"join".equals(membership.membership())) {
            return Mono.just(SummaryRead.NONE);
        }
        String roomId = membership.roomId().value();
        return syncs.memberCounts(roomId).zipWith(syncs.heroes(roomId, user.toString(), HEROES),
                (counts, heroes) -> new SummaryRead(new RoomSlice.Summary(heroes, counts[0], counts[1])));
    }

    /**
     * The senders and member targets of the timeline the client has not been sent, and for a timeline that is not
     * limited the members whose membership changed; none the selection names anyway.
     */
    private static Set<String> lazyMembers(Timeline timeline, SlidingRoomQuery query) {
        Set<String> members = new LinkedHashSet<>();
        for (RoomEvent event : timeline.events()) {
            JsonNode pdu = EventBuilder.parse(event.json(), RoomVersions.V1);
            members.add(pdu.path("sender").stringValue(""));
            if (StateSelection.MEMBER.equals(pdu.path("type").stringValue(""))) {
                members.add(pdu.path("state_key").stringValue(""));
            }
        }
        members.removeAll(query.lazyMembersKnown());
        if (!timeline.limited()) {
            members.addAll(query.memberChanges());
        }
        members.removeIf(u -> u.isEmpty() || query.state().matches(StateSelection.MEMBER, u));
        return members;
    }

    /** The selected entries of the state the scope allows: the current state, or the state at the leave. */
    private Mono<List<RoomEvent>> state(ReadScope scope, String roomId, StateSelection selection) {
        if (!scope.stateVisible() || selection.isEmpty()) {
            return Mono.just(List.of());
        }
        StateQuery query = query(selection);
        Mono<List<StateEntry>> entries = scope.isCurrent() ? lists.currentState(roomId, query)
                : lists.groupState(scope.stateGroup(), query);
        return entries.flatMap(list -> list.isEmpty() ? Mono.just(List.<RoomEvent>of())
                : store.events().findAll(list.stream().map(StateEntry::eventId).distinct().toList())
                        .map(rows -> rows.stream().sorted(Comparator.comparingLong(EventRow::streamOrdering)).toList())
                        .flatMap(rows -> views.ofCurrentState(scope.version(), rows)));
    }

    private static StateQuery query(StateSelection s) {
        Set<String> types = new HashSet<>(s.types());
        if (s.allMembers() && !s.allTypes()) {
            types.add(StateSelection.MEMBER);
        }
        return new StateQuery(s.allTypes(), s.allTypes() && !s.allMembers(), types, s.anyTypeKeys(),
                s.keys().stream().map(k -> new StateKey(k.type(), k.stateKey())).toList());
    }

    private static long upperBound(SyncMembership membership, long upTo) {
        return membership.isLeave() ? Math.min(upTo, membership.streamOrdering()) : upTo;
    }

    private record Timeline(List<RoomEvent> events, boolean limited, TimelinePosition prevBatch) {
    }

    /** The summary if read. */
    private record SummaryRead(RoomSlice.Summary value) {

        static final SummaryRead NONE = new SummaryRead(null);

        List<String> heroes() {
            return value == null ? List.of() : value.heroes();
        }
    }
}
