package org.myelin.clientapi.sync;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.myelin.clientapi.auth.Requester;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.notify.StreamPosition;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientRoomApi;
import org.myelin.room.api.ClientSyncApi;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles /sync: reads every stream's position (room events and each {@link SyncStreamSource}), asks the
 * sources and the room graph what changed between the client's token and those positions, and, for an
 * incremental sync with nothing new, long-polls until a relevant wake-up or the timeout. Identical long-polls of one
 * access token share one poll ({@link SyncPolls}), and every computation waits its user's turn at a
 * {@link FairGate}, so one user's many polls neither starve other users nor drain the database pool.
 */
@Component
public class SyncService {

    private final ClientSyncApi syncApi;
    private final ClientRoomApi roomApi;
    private final List<SyncStreamSource> sources;
    private final RoomSyncAssembler rooms;
    private final LongPoll longPoll;
    private final SyncPolls polls;
    private final FairGate computations;
    private final AccountDataRepository accountData;
    private final ObjectMapper mapper;

    public SyncService(ClientSyncApi syncApi, ClientRoomApi roomApi, List<SyncStreamSource> sources,
            RoomSyncAssembler rooms, LongPoll longPoll, SyncPolls polls, FairGate computations,
            AccountDataRepository accountData, ObjectMapper mapper) {
        this.syncApi = syncApi;
        this.roomApi = roomApi;
        this.sources = List.copyOf(sources);
        this.rooms = rooms;
        this.longPoll = longPoll;
        this.polls = polls;
        this.computations = computations;
        this.accountData = accountData;
        this.mapper = mapper;
    }

    /**
     * The response to one /sync call.
     *
     * @param since        the client's token, or null for an initial sync
     * @param stateSection which state section each room carries ({@code use_state_after})
     * @param timeout      how long an incremental sync may wait for something to report (already capped)
     */
    public Mono<SyncResult> sync(Requester requester, Filter filter, SyncToken since, boolean fullState,
            StateSection stateSection, Duration timeout) {
        if (since == null || fullState || timeout.isZero()) {
            return compute(requester, filter, since, fullState, stateSection);
        }
        return polls.join(new SyncPolls.Key(requester.accessTokenId(), since, filter, stateSection),
                cutShort -> longPoll.await(() -> compute(requester, filter, since, false, stateSection), timeout,
                        this::concerns, cutShort));
    }

    /** Whether a wake-up may change the (empty) answer {@code result}. */
    private boolean concerns(StreamPosition position, SyncResult result) {
        if (position.position() <= result.next().position(position.stream())) {
            return false;
        }
        SyncRequest request = result.request();
        if (SyncToken.EVENTS.equals(position.stream())) {
            String scope = position.scope();
            return scope == null || scope.equals(request.userId()) || request.joinedRoomIds().contains(scope);
        }
        return sources.stream().anyMatch(s -> s.name().equals(position.stream()) && s.concerns(position, request));
    }

    private Mono<SyncResult> compute(Requester requester, Filter filter, SyncToken since, boolean fullState,
            StateSection stateSection) {
        return computations.submit(requester.userId(),
                Mono.defer(() -> computeNow(requester, filter, since, fullState, stateSection)));
    }

    private Mono<SyncResult> computeNow(Requester requester, Filter filter, SyncToken since, boolean fullState,
            StateSection stateSection) {
        UserId user = UserId.parse(requester.userId());
        Mono<Map<String, Long>> sourcePositions = Flux.fromIterable(sources)
                .flatMap(s -> s.currentPosition().map(p -> Map.entry(s.name(), p)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(syncApi.position(), sourcePositions, roomApi.joinedRooms(user),
                accountData.ignoredUsers(requester.userId())).flatMap(t -> {
            Map<String, Long> upTo = new HashMap<>(t.getT2());
            upTo.put(SyncToken.EVENTS, t.getT1());
            Set<String> joined = t.getT3().stream().map(r -> r.value()).collect(Collectors.toSet());
            Map<String, Long> from = new HashMap<>();
            upTo.forEach((name, position) -> from.put(name, since == null ? 0 : Math.min(since.position(name),
                    position)));
            long eventsFrom = from.get(SyncToken.EVENTS);
            long eventsTo = upTo.get(SyncToken.EVENTS);
            SyncRequest request = new SyncRequest(requester, filter, joined, fullState, eventsFrom, eventsTo,
                    t.getT4(), stateSection);
            SyncResponseBuilder out = new SyncResponseBuilder();
            Mono<Void> contributions = Flux.fromIterable(sources)
                    .flatMap(s -> s.contribute(request, from.get(s.name()), upTo.get(s.name()), out)).then();
            return contributions.then(syncApi.memberships(user, eventsFrom, eventsTo))
                    .flatMap(memberships -> rooms.rooms(request, memberships, eventsFrom, eventsTo, out))
                    .flatMap(roomsNode -> newlyJoined(request, upTo, out).thenReturn(roomsNode))
                    .map(roomsNode -> {
                        out.heldBack().forEach((stream, position) -> upTo.merge(stream, position, Math::min));
                        SyncToken next = new SyncToken(upTo);
                        boolean empty = since != null && out.isEmpty() && RoomSyncAssembler.isEmpty(roomsNode);
                        return new SyncResult(render(next, roomsNode, out), next, request, empty);
                    });
        });
    }

    /** What the sources add about the rooms the user newly joined (their members' presence, for one). */
    private Mono<Void> newlyJoined(SyncRequest request, Map<String, Long> upTo, SyncResponseBuilder out) {
        Set<String> roomIds = out.newlyJoinedRooms();
        if (roomIds.isEmpty()) {
            return Mono.empty();
        }
        return Flux.fromIterable(sources).flatMap(s -> s.newlyJoined(request, roomIds, upTo.get(s.name()), out))
                .then();
    }

    private ObjectNode render(SyncToken next, ObjectNode roomsNode, SyncResponseBuilder out) {
        ObjectNode body = mapper.createObjectNode();
        body.put("next_batch", next.format());
        body.set("rooms", roomsNode);
        body.putObject("account_data").set("events", mapper.valueToTree(out.accountData()));
        body.putObject("presence").set("events", mapper.valueToTree(out.presence()));
        body.putObject("to_device").set("events", mapper.valueToTree(out.toDevice()));
        ObjectNode deviceLists = body.putObject("device_lists");
        deviceLists.set("changed", mapper.valueToTree(out.deviceListsChanged()));
        deviceLists.set("left", mapper.valueToTree(out.deviceListsLeft()));
        body.set("device_one_time_keys_count", mapper.valueToTree(out.oneTimeKeyCounts()));
        body.set("device_unused_fallback_key_types", mapper.valueToTree(out.unusedFallbackKeyTypes()));
        return body;
    }
}
