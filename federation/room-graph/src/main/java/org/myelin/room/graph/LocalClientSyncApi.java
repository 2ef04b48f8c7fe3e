package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.List;

import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.StateKey;
import org.myelin.db.sync.SyncRepository;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.TimelinePosition;
import org.myelin.room.api.SyncMembership;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@link ClientSyncApi} over this server's room graph. */
public final class LocalClientSyncApi implements ClientSyncApi {

    /** The state an invitee or knocker sees of a room (the spec's recommendation for stripped state). */
    public static final List<StateKey> STRIPPED = List.of(new StateKey("m.room.create", ""),
            new StateKey("m.room.join_rules", ""), new StateKey("m.room.name", ""),
            new StateKey("m.room.avatar", ""), new StateKey("m.room.canonical_alias", ""),
            new StateKey("m.room.encryption", ""));

    private final RoomStore store;
    private final SyncRepository syncs;
    private final RoomSliceReader slices;

    public LocalClientSyncApi(RoomStore store, SyncRepository syncs, Scheduler cpu) {
        this.store = store;
        this.syncs = syncs;
        this.slices = new RoomSliceReader(store, syncs, new RoomReadAccess(store, cpu), new ClientViews(store, cpu));
    }

    @Override
    public Mono<Long> position() {
        return syncs.eventsPosition();
    }

    @Override
    public Mono<List<SyncMembership>> memberships(UserId user, long since, long upTo) {
        Mono<List<MembershipRow>> rows = since == 0 ? syncs.memberships(user.toString(), upTo)
                : syncs.changed(user.toString(), since, upTo);
        return rows.map(list -> list.stream().map(r -> new SyncMembership(new RoomId(r.roomId()), r.membership(),
                new EventId(r.eventId()), r.streamOrdering())).toList());
    }

    @Override
    public Mono<RoomSlice> roomSlice(UserId user, SyncMembership membership, RoomSliceQuery query) {
        String roomId = membership.roomId().value();
        return store.rooms().find(roomId).hasElement().flatMap(known -> known ? slices.slice(user, membership, query)
                : rejectedInvite(user, membership));
    }

    /** A rejected invite to a room this server is not in: its leave event is the whole timeline. */
    private Mono<RoomSlice> rejectedInvite(UserId user, SyncMembership membership) {
        return store.remoteInvites().find(membership.roomId().value(), user.toString()).map(found -> found
                .map(invite -> List.of(new RoomEvent(new EventId(invite.eventId()), membership.roomId(),
                        invite.eventJson(), new TimelinePosition(0, invite.streamOrdering()), null, null)))
                .orElse(List.of()))
                .map(timeline -> new RoomSlice(timeline, false, null, List.of(), null, false, false));
    }

    @Override
    public Mono<List<RoomEvent>> strippedStateEvents(SyncMembership membership) {
        String roomId = membership.roomId().value();
        return store.rooms().find(roomId).hasElement().flatMap(known -> known ? localStrippedState(membership)
                : remoteStrippedState(membership));
    }

    /**
     * An invite to a room this server is not in: the stripped state the inviting server sent, then the invite
     * itself, each as a carrier of its JSON at the invite's stream position.
     */
    private Mono<List<RoomEvent>> remoteStrippedState(SyncMembership membership) {
        return store.remoteInvites().byEvent(membership.eventId().value()).map(found -> found.map(invite -> {
            List<RoomEvent> events = new ArrayList<>();
            TimelinePosition at = new TimelinePosition(0, invite.streamOrdering());
            EventId id = new EventId(invite.eventId());
            RoomId room = new RoomId(invite.roomId());
            CanonicalJson.parse(invite.strippedState(), CanonicalJson.Mode.LENIENT)
                    .forEach(state -> events.add(new RoomEvent(id, room, state.toString(), at, null, null)));
            events.add(new RoomEvent(id, room, invite.eventJson(), at, null, null));
            return events;
        }).orElse(List.of()));
    }

    private Mono<List<RoomEvent>> localStrippedState(SyncMembership membership) {
        String roomId = membership.roomId().value();
        return store.currentState().events(roomId, STRIPPED)
                .zipWith(store.events().find(membership.eventId().value()).map(List::of).defaultIfEmpty(List.of()))
                .map(t -> {
                    List<RoomEvent> events = new ArrayList<>();
                    t.getT1().forEach(row -> events.add(RoomEvents.of(row)));
                    t.getT2().forEach(row -> events.add(RoomEvents.of(row)));
                    return events;
                });
    }
}
