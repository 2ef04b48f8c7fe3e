package org.myelin.clientapi.slidingsync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.myelin.clientapi.auth.Requester;
import org.myelin.clientapi.push.notify.PushEvaluationWorker;
import org.myelin.clientapi.push.notify.UnreadCountsSource;
import org.myelin.clientapi.push.notify.UnreadCountsSource.Counts;
import org.myelin.clientapi.slidingsync.ConnectionState.Stream;
import org.myelin.clientapi.slidingsync.RoomResults.Ask;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomConfig;
import org.myelin.clientapi.sync.FairGate;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.clientapi.sync.SyncRequest;
import org.myelin.clientapi.sync.SyncResult;
import org.myelin.clientapi.sync.SyncStreamSource;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.notify.StreamPosition;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.SlidingRoomListing;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Assembles a sliding sync response (Synapse's {@code SlidingSyncHandler}): reads the stream positions as /sync
 * does (but the notifications position once push evaluation has reached the new events of the rooms whose unread
 * counts the response carries, not those of every room), the user's rooms with what the lists need, computes the lists, sends each matched room that the
 * connection has not been sent or that changed since, then the extensions; records what was sent for the next
 * request. A request with a pos whose response would be empty long-polls through the same {@link LongPoll} (and
 * node-wide notifier) as /sync, and every computation takes its user's turn at the same {@link FairGate}.
 *
 * <p>A room outside every range that changes is not sent; it counts as behind in the connection state, and once
 * a range takes it again (it rose in the list, or the range grew) it is sent with what it missed. A change that
 * only moves list counts answers a waiting request with the new counts.
 */
@Component
public class SlidingSyncService {

    private static final String DIRECT = "m.direct";

    private final ClientSyncApi syncApi;
    private final ClientSlidingSyncApi rooms;
    private final List<SyncStreamSource> sources;
    private final AccountDataRepository accountData;
    private final UnreadCountsSource unreadCounts;
    private final RoomResults results;
    private final SlidingExtensions extensions;
    private final ConnectionStore connections;
    private final LongPoll longPoll;
    private final FairGate computations;
    private final ObjectMapper mapper;
    private final Timer computationTime;

    public SlidingSyncService(ClientSyncApi syncApi, ClientSlidingSyncApi rooms, List<SyncStreamSource> sources,
            AccountDataRepository accountData, UnreadCountsSource unreadCounts, RoomResults results,
            SlidingExtensions extensions,
            ConnectionStore connections, LongPoll longPoll, FairGate computations, ObjectMapper mapper,
            MeterRegistry meters) {
        this.syncApi = syncApi;
        this.rooms = rooms;
        this.sources = List.copyOf(sources);
        this.accountData = accountData;
        this.unreadCounts = unreadCounts;
        this.results = results;
        this.extensions = extensions;
        this.connections = connections;
        this.longPoll = longPoll;
        this.computations = computations;
        this.mapper = mapper;
        this.computationTime = Timer.builder("myelin.sliding_sync.computation")
                .description("Sliding sync response computations (each long-poll attempt), waits excluded")
                .register(meters);
    }

    /**
     * The response to one request.
     *
     * @param pos     the client's pos, or null for a new connection
     * @param timeout how long a request with a pos may wait for something to report (already capped)
     */
    public Mono<ObjectNode> sync(Requester requester, SlidingSyncRequest request, SlidingPos pos, Duration timeout) {
        return connections.load(requester, request.connId(), pos).flatMap(loaded -> {
            AtomicReference<Computed> last = new AtomicReference<>();
            Mono<SyncResult> once = computations.<Computed>submit(requester.userId(), Mono.defer(() -> {
                long started = System.nanoTime();
                return compute(requester, request, pos, loaded.state()).doOnNext(c -> computationTime.record(
                        System.nanoTime() - started, TimeUnit.NANOSECONDS));
            })).doOnNext(last::set).map(Computed::result);
            Mono<SyncResult> answer = pos == null || timeout.isZero() ? once
                    : longPoll.await(() -> once, timeout, (position, result) -> concerns(request, position, result),
                            Mono.never());
            return answer.then(Mono.defer(() -> finish(request, pos, loaded, last.get())));
        });
    }

    /** Records the connection state of the response and gives it its pos. */
    private Mono<ObjectNode> finish(SlidingSyncRequest request, SlidingPos pos, ConnectionStore.Loaded loaded,
            Computed computed) {
        Mono<Long> position = request.hasRooms() ? connections.record(loaded, computed.state())
                : Mono.just(pos == null ? 0L : pos.connectionPosition());
        return position.map(p -> {
            ObjectNode body = mapper.createObjectNode();
            body.put("pos", new SlidingPos(p, computed.result().next()).format());
            body.setAll(computed.result().body());
            return body;
        });
    }

    /** Whether a wake-up may change the (empty) answer {@code result}. */
    private boolean concerns(SlidingSyncRequest request, StreamPosition position, SyncResult result) {
        if (position.position() <= result.next().position(position.stream())) {
            return false;
        }
        SyncRequest sync = result.request();
        if (SyncToken.EVENTS.equals(position.stream())) {
            String scope = position.scope();
            return scope == null || scope.equals(sync.userId()) || sync.joinedRoomIds().contains(scope);
        }
        var ext = request.extensions();
        return sources.stream().filter(s -> s.name().equals(position.stream())).anyMatch(s -> switch (s.name()) {
            case "to_device" -> ext.toDevice() != null;
            case "device_lists" -> ext.e2ee();
            case "account_data" -> ext.accountData() != null || request.hasRooms();
            case "receipts" -> ext.receipts() != null || request.hasRooms();
            case PushEvaluationWorker.STREAM -> request.hasRooms();
            case "typing" -> ext.typing() != null;
            default -> false;
        } && s.concerns(position, sync));
    }

    /**
     * One computed response, before its pos.
     *
     * @param result the body (without pos), the stream positions it covers, and whether it is empty
     * @param state  the connection state it leaves
     */
    private record Computed(SyncResult result, ConnectionState state) {
    }

    private Mono<Computed> compute(Requester requester, SlidingSyncRequest request, SlidingPos pos,
            ConnectionState previous) {
        UserId user = UserId.parse(requester.userId());
        Mono<Map<String, Long>> sourcePositions = Flux.fromIterable(sources)
                .filter(s -> !PushEvaluationWorker.STREAM.equals(s.name()))
                .flatMap(s -> s.currentPosition().map(p -> Map.entry(s.name(), p)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(syncApi.position(), sourcePositions).flatMap(positions -> {
            Map<String, Long> upTo = new HashMap<>(positions.getT2());
            upTo.put(SyncToken.EVENTS, positions.getT1());
            SyncToken from = pos == null ? null : pos.streams();
            long eventsUpTo = positions.getT1();
            long since = from == null ? 0 : Math.min(from.position(SyncToken.EVENTS), eventsUpTo);
            boolean tags = request.lists().values().stream()
                    .anyMatch(l -> l.filters().tags() != null || l.filters().notTags() != null);
            return Mono.zip(rooms.rooms(user, eventsUpTo), dmRooms(user.toString()),
                    tags ? accountData.roomTags(user.toString()) : Mono.just(Map.<String, Set<String>>of()))
                    .flatMap(t -> spaceChildren(request, t.getT1()).flatMap(children -> {
                        RoomLists.Outcome lists = RoomLists.compute(request, new RoomLists.Input(user.toString(),
                                t.getT1(), t.getT2(), t.getT3(), children, since));
                        return respond(requester, request, previous, lists, t.getT2(), from, upTo, since);
                    }));
        });
    }

    private Mono<Computed> respond(Requester requester, SlidingSyncRequest request, ConnectionState previous,
            RoomLists.Outcome lists, Set<String> dms, SyncToken from, Map<String, Long> upTo, long since) {
        long eventsUpTo = upTo.get(SyncToken.EVENTS);
        Set<String> joinedRelevant = lists.relevant().keySet().stream()
                .filter(roomId -> "join".equals(lists.rooms().get(roomId).membership().membership()))
                .collect(Collectors.toSet());
        Mono<Map<String, Counts>> roomCounts = unreadCounts.positionCovering(joinedRelevant, since, eventsUpTo)
                .flatMap(position -> {
                    upTo.put(PushEvaluationWorker.STREAM, position);
                    return unreadCounts.roomCounts(requester.userId(), joinedRelevant);
                });
        return Mono.zip(updated(previous, lists, since, eventsUpTo), roomCounts).flatMap(t -> {
            Set<String> updated = t.getT1();
            Map<String, Counts> counts = t.getT2();
            List<Ask> asks = new ArrayList<>();
            lists.relevant().forEach((roomId, config) -> {
                Ask ask = ask(requester, lists.rooms().get(roomId), config, previous, since, eventsUpTo, dms,
                        counts.getOrDefault(roomId, Counts.NONE));
                if (toSend(ask, updated, requester.userId())) {
                    asks.add(ask);
                }
            });
            ConnectionState.Builder next = previous.toBuilder();
            Set<String> unsent = new HashSet<>(updated);
            asks.forEach(a -> unsent.remove(a.room().membership().roomId().value()));
            next.markUnsent(Stream.ROOMS, unsent, since);
            next.listCounts(lists.counts());
            return results.build(asks)
                    .map(built -> {
                        List<Map.Entry<String, RoomResults.Result>> byRoom = new ArrayList<>();
                        for (int i = 0; i < asks.size(); i++) {
                            byRoom.add(Map.entry(asks.get(i).room().membership().roomId().value(), built.get(i)));
                        }
                        return sent(byRoom, next);
                    })
                    .flatMap(sent -> {
                        Set<String> joined = lists.rooms().values().stream()
                                .filter(r -> "join".equals(r.membership().membership()))
                                .map(r -> r.membership().roomId().value()).collect(Collectors.toSet());
                        Set<String> subscribed = new LinkedHashSet<>(request.subscriptions().keySet());
                        subscribed.retainAll(lists.rooms().keySet());
                        SlidingExtensions.Context ctx = new SlidingExtensions.Context(requester,
                                request.extensions(), from, upTo, joined, lists, subscribed, sent.initial(),
                                previous, next);
                        return extensions.build(ctx).map(ext -> {
                            ObjectNode body = mapper.createObjectNode();
                            body.set("lists", listsNode(lists));
                            body.set("rooms", sent.rooms());
                            body.set("extensions", ext.body());
                            boolean empty = from != null && sent.rooms().isEmpty() && !ext.news()
                                    && lists.counts().equals(previous.listCounts());
                            SyncRequest sync = new SyncRequest(requester, Filter.DEFAULT, joined, false, since,
                                    eventsUpTo);
                            return new Computed(new SyncResult(body, new SyncToken(upTo), sync, empty),
                                    next.build());
                        });
                    });
        });
    }

    /**
     * Each list's count and, as Synapse still answers them, one {@code SYNC} operation per range with the room IDs
     * in it, in list order.
     */
    private ObjectNode listsNode(RoomLists.Outcome lists) {
        ObjectNode node = mapper.createObjectNode();
        lists.counts().forEach((name, count) -> {
            ObjectNode list = node.putObject(name).put("count", count);
            ArrayNode ops = list.putArray("ops");
            for (RoomLists.Window window : lists.windows().get(name)) {
                ObjectNode op = ops.addObject().put("op", "SYNC");
                op.putArray("range").add(window.range().start()).add(window.range().end());
                ArrayNode ids = op.putArray("room_ids");
                window.roomIds().forEach(ids::add);
            }
        });
        return node;
    }

    /** The rooms section of the response: the results with news; every result is recorded as sent. */
    private SentRooms sent(List<Map.Entry<String, RoomResults.Result>> built,
            ConnectionState.Builder next) {
        ObjectNode roomsNode = mapper.createObjectNode();
        Set<String> initial = new HashSet<>();
        for (var entry : built) {
            next.sent(entry.getKey(), entry.getValue().sent());
            ObjectNode body = entry.getValue().body();
            if (body != null) {
                roomsNode.set(entry.getKey(), body);
                if (body.has("initial")) {
                    initial.add(entry.getKey());
                }
            }
        }
        return new SentRooms(roomsNode, initial);
    }

    /** The rooms section and the rooms it sends as initial. */
    private record SentRooms(ObjectNode rooms, Set<String> initial) {
    }

    private static Ask ask(Requester requester, SlidingRoomListing room, RoomConfig config,
            ConnectionState previous, long since, long upTo, Set<String> dms, Counts counts) {
        String roomId = room.membership().roomId().value();
        return new Ask(requester, room, config, previous.rooms().get(roomId), previous.sent().get(roomId), since, upTo,
                dms.contains(roomId), counts);
    }

    /**
     * Whether a matched room goes into the response: always without pos; otherwise when the connection was not
     * sent it or is behind on it, when it was joined since, when it has news since the pos, when its unread counts
     * changed (a notification, a read receipt), or when its config now asks for more than it was sent with.
     */
    private static boolean toSend(Ask ask, Set<String> updated, String userId) {
        return ask.since() == 0 || ask.status() == null || ask.status() != ConnectionState.LIVE || ask.initial()
                || updated.contains(ask.room().membership().roomId().value()) || ask.countsChanged()
                || ask.expandedTimeline()
                || ask.expandedState(userId);
    }

    /**
     * The rooms live in the connection (matched now or not) with events or a membership change since the pos: the
     * ones that must be sent again, or counted as behind.
     */
    private Mono<Set<String>> updated(ConnectionState previous, RoomLists.Outcome lists, long since, long upTo) {
        if (since == 0) {
            return Mono.just(Set.of());
        }
        Set<String> live = new HashSet<>();
        Set<String> moved = new HashSet<>();
        previous.rooms().forEach((roomId, status) -> {
            SlidingRoomListing room = lists.rooms().get(roomId);
            if (status == ConnectionState.LIVE && room != null) {
                live.add(roomId);
                if (room.membership().streamOrdering() > since) {
                    moved.add(roomId);
                }
            }
        });
        return rooms.roomsWithEvents(live, since, upTo).map(withEvents -> {
            Set<String> all = new HashSet<>(withEvents);
            all.addAll(moved);
            return all;
        });
    }

    /** Per list with a spaces filter, the children of its spaces the user is joined to. */
    private Mono<Map<String, Set<String>>> spaceChildren(SlidingSyncRequest request, List<SlidingRoomListing> all) {
        Set<String> joinedSpaces = all.stream().filter(r -> "join".equals(r.membership().membership()))
                .map(r -> r.membership().roomId().value()).collect(Collectors.toSet());
        Map<String, Set<String>> out = new LinkedHashMap<>();
        return Flux.fromIterable(request.lists().entrySet()).filter(e -> e.getValue().filters().spaces() != null)
                .concatMap(e -> {
                    List<String> spaces = e.getValue().filters().spaces().stream().filter(joinedSpaces::contains)
                            .toList();
                    return rooms.spaceChildren(spaces).doOnNext(children -> out.put(e.getKey(), children));
                }).then(Mono.fromSupplier(() -> out));
    }

    /** The rooms of the user's {@code m.direct} account data. */
    private Mono<Set<String>> dmRooms(String userId) {
        return accountData.find(userId, AccountDataRepository.GLOBAL, DIRECT).map(json -> {
            Set<String> roomIds = new HashSet<>();
            JsonNode content = mapper.readTree(json);
            content.forEach(list -> list.forEach(room -> {
                if (room.isString()) {
                    roomIds.add(room.stringValue());
                }
            }));
            return roomIds;
        }).defaultIfEmpty(Set.of());
    }
}
