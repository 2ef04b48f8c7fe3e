package org.myelin.clientapi.sync.legacy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.ephemeral.accountdata.AccountDataService;
import org.myelin.clientapi.room.ClientEvents;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResponseBuilder;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.clientapi.sync.PaginationToken;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SyncMembership;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GET /initialSync as r0.6.1 described it: at one position of every stream ({@code end}, a /sync token), each room
 * the user is joined or invited to (and, with {@code archived}, left or was banned from) with its latest events and
 * its state, read like an initial /sync's rooms ({@link ClientSyncApi#roomSlice}); an invite carries the invite
 * event. Global account data and presence come from the /sync sources, since 0.
 */
@Component
public class InitialSync {

    /** Rooms read at once, as /sync reads them. */
    private static final int CONCURRENCY = 4;
    private static final Set<String> SOURCES = Set.of(AccountDataService.STREAM, PresenceService.STREAM);

    private final ClientSyncApi syncApi;
    private final ClientDirectoryApi directory;
    private final List<SyncStreamSource> sources;
    private final StreamPositions positions;
    private final RoomSnapshot snapshots;
    private final ClientEvents clientEvents;
    private final ObjectMapper mapper;

    public InitialSync(ClientSyncApi syncApi, ClientDirectoryApi directory, List<SyncStreamSource> sources,
            StreamPositions positions, RoomSnapshot snapshots, ClientEvents clientEvents, ObjectMapper mapper) {
        this.syncApi = syncApi;
        this.directory = directory;
        this.sources = sources.stream().filter(s -> SOURCES.contains(s.name())).toList();
        this.positions = positions;
        this.snapshots = snapshots;
        this.clientEvents = clientEvents;
        this.mapper = mapper;
    }

    /** The whole answer. */
    Mono<ObjectNode> snapshot(Requester requester, int limit, boolean archived) {
        UserId user = UserId.parse(requester.userId());
        return positions.now().flatMap(now -> syncApi.memberships(user, 0, now.position(SyncToken.EVENTS))
                .flatMap(memberships -> {
                    List<SyncMembership> wanted = memberships.stream().filter(m -> "join".equals(m.membership())
                            || "invite".equals(m.membership()) || archived && m.isLeave()).toList();
                    Set<String> roomIds = wanted.stream().map(m -> m.roomId().value()).collect(Collectors.toSet());
                    return contributions(requester, roomIds, now).flatMap(out -> Flux.fromIterable(wanted)
                            .flatMapSequential(m -> room(requester, m, limit, now, out), CONCURRENCY)
                            .collectList()
                            .map(rooms -> {
                                ObjectNode body = mapper.createObjectNode();
                                body.put("end", now.format());
                                rooms.forEach(body.putArray("rooms")::add);
                                body.set("presence", mapper.valueToTree(out.presence()));
                                body.set("account_data", mapper.valueToTree(out.accountData()));
                                return body;
                            }));
                }));
    }

    /** Account data (global and of {@code roomIds}) and presence as an initial /sync reports them. */
    Mono<SyncResponseBuilder> contributions(Requester requester, Set<String> roomIds, SyncToken now) {
        long events = now.position(SyncToken.EVENTS);
        SyncRequest request = new SyncRequest(requester, Filter.DEFAULT, roomIds, false, 0, events);
        SyncResponseBuilder out = new SyncResponseBuilder();
        return Flux.fromIterable(sources).concatMap(s -> s.contribute(request, 0, now.position(s.name()), out))
                .then(Mono.just(out));
    }

    private Mono<ObjectNode> room(Requester requester, SyncMembership m, int limit, SyncToken now,
            SyncResponseBuilder out) {
        String roomId = m.roomId().value();
        if ("invite".equals(m.membership())) {
            return syncApi.strippedStateEvents(m).map(events -> {
                ObjectNode room = mapper.createObjectNode().put("room_id", roomId).put("membership", "invite");
                if (!events.isEmpty()) {
                    room.set("invite", clientEvents.format(events.get(events.size() - 1), requester));
                }
                return room;
            });
        }
        UserId user = UserId.parse(requester.userId());
        RoomSliceQuery query = new RoomSliceQuery(0, now.position(SyncToken.EVENTS), limit, EventFilter.NONE, false,
                false, Set.of());
        return Mono.zip(syncApi.roomSlice(user, m, query),
                directory.isPublished(m.roomId()).onErrorReturn(false))
                .map(t -> snapshots.render(roomId, m.membership(), t.getT1().timeline(),
                        t.getT1().prevBatch() == null ? null : PaginationToken.eventsBefore(t.getT1().prevBatch()),
                        snapshots.stateAfter(t.getT1().state(), t.getT1().timeline()), t.getT2(),
                        out.roomAccountData().getOrDefault(roomId, List.of()), requester));
    }
}
