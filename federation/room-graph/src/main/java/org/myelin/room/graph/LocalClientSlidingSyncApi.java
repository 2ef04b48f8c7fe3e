package org.myelin.room.graph;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.StateKey;
import org.myelin.db.slidingsync.SlidingRoomListRepository;
import org.myelin.db.slidingsync.SlidingRoomListRepository.RoomListRow;
import org.myelin.db.sync.SyncRepository;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SlidingRoomData;
import org.myelin.room.api.SlidingRoomListing;
import org.myelin.room.api.SlidingRoomQuery;
import org.myelin.room.api.SlidingRoomRead;
import org.myelin.room.api.StateSelection;
import org.myelin.room.api.SyncMembership;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * {@link ClientSlidingSyncApi} over this server's room graph. A window's rooms are read together by
 * {@link SlidingWindowReader}, through {@link RoomReadAccess} like every other read (the scope once per room, each
 * timeline event's history visibility), and their events come out as {@link ClientViews} make them. A room this server does not have (an invite from another server, turned
 * down) is read through {@link ClientSyncApi}, which knows those.
 */
public final class LocalClientSlidingSyncApi implements ClientSlidingSyncApi {

    private static final SlidingRoomData NOTHING = new SlidingRoomData(List.of(), false, null, List.of(), Set.of(),
            null, List.of());

    private final SyncRepository syncs;
    private final SlidingRoomListRepository lists;
    private final ClientSyncApi syncApi;
    private final SlidingWindowReader window;

    public LocalClientSlidingSyncApi(RoomStore store, SyncRepository syncs, SlidingRoomListRepository lists,
            ClientSyncApi syncApi, Scheduler cpu) {
        this.syncs = syncs;
        this.lists = lists;
        this.syncApi = syncApi;
        this.window = new SlidingWindowReader(store, lists, cpu);
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
        long upper = SlidingWindowReader.upperBound(membership, upTo);
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
    public Mono<List<SlidingRoomData>> roomData(UserId user, List<SlidingRoomRead> reads) {
        List<SlidingRoomRead> known = reads.stream().filter(r -> r.room().known()).toList();
        Mono<Map<String, SlidingRoomData>> remote = Flux.fromIterable(reads).filter(r -> !r.room().known())
                .flatMap(r -> unknown(user, r.room().membership(), r.query())
                        .map(data -> Map.entry(r.room().membership().roomId().value(), data)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return window.read(user, known).zipWith(remote, (local, other) -> reads.stream()
                .map(r -> r.room().membership().roomId().value())
                .map(roomId -> local.getOrDefault(roomId, other.getOrDefault(roomId, NOTHING))).toList());
    }

    /** A room this server does not have: only the user's own events of it (their leave of a remote invite). */
    private Mono<SlidingRoomData> unknown(UserId user, SyncMembership membership, SlidingRoomQuery query) {
        RoomSliceQuery slice = new RoomSliceQuery(query.since(), query.upTo(), Math.max(1, query.timelineLimit()),
                EventFilter.NONE, false, false, Set.of());
        return syncApi.roomSlice(user, membership, slice).map(s -> new SlidingRoomData(
                query.timelineLimit() == 0 ? List.of() : s.timeline(), false, null, List.of(), Set.of(), null,
                List.of()));
    }
}
