package org.myelin.federation.server.backfill;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.myelin.db.room.EventStatus;
import org.myelin.db.room.RoomRow;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.federation.server.transaction.StateFromServer;
import org.myelin.room.api.RemoteHistory;
import org.myelin.room.graph.MissingEventsException;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Backfills a room from the other servers in it: the room's backward extremities (prev events its timeline refers
 * to but does not hold) are asked of each joined server in turn ({@code GET /backfill}, at most {@link #LIMIT}
 * events) until one answers. Every event goes through the checks of a received PDU (size, signatures, content
 * hash, then auth against the state before it) and is stored below the live timeline, shallowest first. An event
 * at the new edge, whose prev events are still unknown, is checked against the state before it as that server
 * tells it ({@code GET /state}). The same extremities are not asked for again within {@link #RETRY_AFTER}, so a
 * client paging at the start of a room's history does not make a request per page. For a room whose history is
 * not all here, the event closest to a time is asked of the same servers ({@code /timestamp_to_event}) and fetched
 * ({@code /event}) and stored the same way.
 */
public final class HistoryBackfill implements RemoteHistory {

    static final int LIMIT = 50;
    private static final int MAX_EXTREMITIES = 10;
    private static final int MAX_SERVERS = 3;
    static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(HistoryBackfill.class);

    private final ServerName self;
    private final RoomStore store;
    private final RoomEventService events;
    private final PduChecks checks;
    private final StateFromServer states;
    private final FederationClient client;
    private final Clock clock;
    private final Map<String, Long> lastTried = new ConcurrentHashMap<>();

    public HistoryBackfill(ServerName self, RoomStore store, RoomEventService events, PduChecks checks,
            FederationClient client, Clock clock) {
        this.self = self;
        this.store = store;
        this.events = events;
        this.checks = checks;
        this.states = new StateFromServer(client, checks);
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Mono<Boolean> fetchEarlier(RoomId roomId) {
        return store.rooms().find(roomId.value())
                .flatMap(room -> store.events().backwardExtremities(room.roomId(), MAX_EXTREMITIES)
                        .filter(extremities -> !extremities.isEmpty() && due(room.roomId(), extremities))
                        .flatMap(extremities -> servers(room.roomId()).flatMap(servers ->
                                fromFirstAnswering(room, extremities, servers))))
                .defaultIfEmpty(false)
                .onErrorResume(e -> {
                    LOG.info("Backfilling {} failed: {}", roomId, e.toString());
                    return Mono.just(false);
                });
    }

    @Override
    public Mono<EventId> closestEvent(RoomId roomId, long ts, boolean forwards) {
        return store.rooms().find(roomId.value())
                .filterWhen(room -> store.events().backwardExtremities(room.roomId(), 1).map(e -> !e.isEmpty()))
                .flatMap(room -> servers(room.roomId()).flatMapMany(Flux::fromIterable)
                        .concatMap(server -> closestOn(room, server, ts, forwards)
                                .onErrorResume(e -> {
                                    LOG.info("{} found no event of {} near {}: {}", server, roomId, ts, e.toString());
                                    return Mono.empty();
                                }))
                        .next())
                .onErrorResume(e -> {
                    LOG.info("Asking other servers for the event of {} near {} failed: {}", roomId, ts, e.toString());
                    return Mono.empty();
                });
    }

    /** The server's answer, stored here (fetched with {@code /event} when it is new). */
    private Mono<EventId> closestOn(RoomRow room, ServerName server, long ts, boolean forwards) {
        RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
        String path = "/_matrix/federation/v1/timestamp_to_event/" + FederationClient.segment(room.roomId())
                + "?dir=" + (forwards ? "f" : "b") + "&ts=" + ts;
        return client.get(server, path).timeout(TIMEOUT)
                .map(answer -> EventId.parse(answer.path("event_id").stringValue("")))
                .flatMap(eventId -> store.events().status(eventId.value()).filter(status -> !status.outlier())
                        .map(status -> eventId)
                        .switchIfEmpty(Mono.defer(() -> client.get(server, "/_matrix/federation/v1/event/"
                                        + FederationClient.segment(eventId.value())).timeout(TIMEOUT)
                                .flatMap(answer -> states.verified(answer.path("pdus"), version, room.roomId()))
                                .flatMap(pdus -> pdus.stream().filter(pdu -> pdu.eventId().equals(eventId))
                                        .findFirst().map(pdu -> store(pdu, server).thenReturn(eventId))
                                        .orElseGet(Mono::empty)))));
    }

    /** Whether these extremities were not asked for lately; marks them asked. */
    private boolean due(String roomId, List<String> extremities) {
        long now = clock.millis();
        String key = roomId + " " + extremities.stream().sorted().collect(Collectors.joining(","));
        lastTried.entrySet().removeIf(e -> now - e.getValue() > RETRY_AFTER.toMillis());
        return lastTried.putIfAbsent(key, now) == null;
    }

    /** The servers of the room's joined members but this one, those with the most members first, ACLs permitting. */
    private Mono<List<ServerName>> servers(String roomId) {
        return store.memberships().joinedServers(roomId).flatMapMany(Flux::fromIterable)
                .filter(server -> !server.equals(self.value()))
                .map(ServerName::parse)
                .filterWhen(server -> checks.aclAllows(roomId, server))
                .take(MAX_SERVERS)
                .collectList();
    }

    private Mono<Boolean> fromFirstAnswering(RoomRow room, List<String> extremities, List<ServerName> servers) {
        return Flux.fromIterable(servers)
                .concatMap(server -> backfill(room, extremities, server)
                        .onErrorResume(e -> {
                            LOG.info("{} could not backfill {}: {}", server, room.roomId(), e.toString());
                            return Mono.empty();
                        }))
                .next()
                .defaultIfEmpty(false);
    }

    /** True when at least one event new to this server was stored. */
    private Mono<Boolean> backfill(RoomRow room, List<String> extremities, ServerName server) {
        RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
        StringBuilder query = new StringBuilder("/_matrix/federation/v1/backfill/")
                .append(FederationClient.segment(room.roomId())).append("?limit=").append(LIMIT);
        extremities.forEach(id -> query.append("&v=").append(FederationClient.segment(id)));
        return client.get(server, query.toString()).timeout(TIMEOUT)
                .flatMap(answer -> states.verified(answer.path("pdus"), version, room.roomId()))
                .flatMap(pdus -> {
                    List<Pdu> shallowestFirst = new ArrayList<>(pdus);
                    shallowestFirst.sort(Comparator.comparingLong(Pdu::depth));
                    return Flux.fromIterable(shallowestFirst)
                            .concatMap(pdu -> store.events().status(pdu.eventId().value())
                                    .map(EventStatus::outlier).defaultIfEmpty(true)
                                    .flatMap(isNew -> store(pdu, server).thenReturn(isNew))
                                    .onErrorResume(e -> {
                                        LOG.info("Backfilled {} from {} was not stored: {}", pdu.eventId(), server,
                                                e.toString());
                                        return Mono.just(false);
                                    }))
                            .reduce(false, (any, isNew) -> any || isNew);
                });
    }

    /** Accepts the event below the live timeline; at the edge, against the state the server says was before it. */
    private Mono<Void> store(Pdu pdu, ServerName server) {
        return events.accept(pdu, true).then()
                .onErrorResume(MissingEventsException.class, missing -> states.before(server, pdu)
                        .flatMap(state -> events.acceptAtState(pdu, state.pdus(), state.authChain(), true)).then());
    }
}
