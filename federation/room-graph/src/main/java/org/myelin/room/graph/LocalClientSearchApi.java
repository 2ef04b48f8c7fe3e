package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventSearchQuery;
import org.myelin.db.room.EventSearchRepository;
import org.myelin.db.room.SearchCandidate;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.filter.RoomEventFilter;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.protocol.search.SearchKey;
import org.myelin.federation.protocol.search.SearchToken;
import org.myelin.room.api.ClientSearchApi;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.SearchPage;
import org.myelin.room.api.SearchPage.Hit;
import org.myelin.room.api.SearchRequest;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link ClientSearchApi} over the room graph and PostgreSQL's full-text index. Candidates come from
 * {@link EventSearchRepository} in the order asked for, twice the page size at a time; the filter's
 * {@code contains_url} and {@link RoomReadAccess} (the room as a whole, then each event's history visibility)
 * drop those the user may not see, and further candidates are read until the page is full, at most
 * {@value #MAX_ROUNDS} times (as Synapse). The next page starts after the last result, or after the last
 * candidate read when the rounds ran out, so a page may hold fewer results than asked and still have a next one.
 */
public final class LocalClientSearchApi implements ClientSearchApi {

    private static final int MAX_ROUNDS = 5;
    private static final int MAX_CANDIDATES = 200;
    /** How far back a chain of room upgrades is followed. */
    private static final int MAX_PREDECESSORS = 20;

    private final RoomStore store;
    private final RoomReadAccess access;
    private final RoomReader reader;
    private final ClientViews views;
    private final SearchContexts contexts;
    private final EventSearchRepository index;
    private final Scheduler cpu;

    public LocalClientSearchApi(RoomEventService events, RoomStore store) {
        this.store = store;
        this.cpu = events.cpu();
        this.access = new RoomReadAccess(store, cpu);
        this.views = new ClientViews(store, cpu);
        this.reader = new RoomReader(store, access, views);
        this.contexts = new SearchContexts(store, access, reader, views);
        this.index = new EventSearchRepository(store.db());
    }

    @Override
    public Mono<SearchPage> search(UserId user, SearchRequest request) {
        if (request.filter().blocksEverything()) {
            return Mono.just(new SearchPage(0, List.of(), List.of(), Map.of(), null));
        }
        return withPredecessors(request.filter().rooms())
                .flatMap(rooms -> page(user, request, query(user, request, rooms.orElse(null))));
    }

    private Mono<SearchPage> page(UserId user, SearchRequest request, EventSearchQuery query) {
        if (request.limit() == 0) {
            return index.count(query).map(count -> new SearchPage(count, List.of(), List.of(), Map.of(), null));
        }
        Scopes scopes = new Scopes(user);
        String group = request.from() == null ? null : request.from().room();
        return collect(scopes, request, query, group, 1, new ArrayList<>()).flatMap(found -> Mono.zip(
                index.count(query),
                index.highlights(request.term(), found.results().stream().map(c -> c.event().eventId()).toList()),
                hits(user, scopes, request, found.results()),
                request.includeState() ? state(user, found.results()) : Mono.just(Map.<RoomId, List<RoomEvent>>of()))
                .map(t -> new SearchPage(t.getT1(), t.getT2(), t.getT3(), t.getT4(), found.next())));
    }

    /**
     * The rooms a filter names and the rooms they were upgraded from, each room's {@code m.room.create}
     * {@code predecessor} in turn, so that searching an upgraded room also searches its history (as Synapse does);
     * no filter (all rooms) stays empty.
     */
    private Mono<Optional<List<String>>> withPredecessors(List<String> rooms) {
        if (rooms == null) {
            return Mono.just(Optional.empty());
        }
        Set<String> all = new LinkedHashSet<>(rooms);
        return Flux.fromIterable(rooms).concatMap(room -> predecessors(room, all, MAX_PREDECESSORS))
                .then(Mono.fromSupplier(() -> Optional.of(List.copyOf(all))));
    }

    private Mono<Void> predecessors(String room, Set<String> found, int hops) {
        if (hops == 0) {
            return Mono.empty();
        }
        return store.currentState().event(room, RoomCreate.TYPE, "")
                .mapNotNull(create -> EventBuilder.parse(create.json(), RoomVersions.V1).path("content")
                        .path("predecessor").path("room_id").stringValue(null))
                .filter(found::add)
                .flatMap(previous -> predecessors(previous, found, hops - 1));
    }

    private static EventSearchQuery query(UserId user, SearchRequest request, List<String> rooms) {
        RoomEventFilter f = request.filter();
        var events = f.events();
        int batch = Math.min(MAX_CANDIDATES, Math.max(request.limit() * 2, 10));
        return new EventSearchQuery(user.toString(), request.term(), request.keys().stream().map(SearchKey::key)
                .toList(), rooms, f.notRooms(),
                RoomReader.likePatterns(events.types() == null ? List.of() : events.types()),
                RoomReader.likePatterns(events.notTypes()), events.senders(), events.notSenders(), request.byRank(),
                request.from(), batch);
    }

    /** The results found, in order, and where the next page starts. */
    private record Found(List<SearchCandidate> results, SearchToken next) {
    }

    private Mono<Found> collect(Scopes scopes, SearchRequest request, EventSearchQuery query, String group,
            int round, List<SearchCandidate> results) {
        return index.search(query).flatMap(candidates -> visible(scopes, request.filter(), candidates)
                .flatMap(visible -> {
                    for (SearchCandidate c : visible) {
                        if (results.size() < request.limit()) {
                            results.add(c);
                        }
                    }
                    if (results.size() >= request.limit()) {
                        return Mono.just(new Found(results, results.get(results.size() - 1).position().inRoom(group)));
                    }
                    if (candidates.size() < query.limit()) {
                        return Mono.just(new Found(results, null));
                    }
                    SearchToken last = candidates.get(candidates.size() - 1).position().inRoom(group);
                    return round >= MAX_ROUNDS ? Mono.just(new Found(results, last))
                            : collect(scopes, request, query.continuingAfter(last), group, round + 1, results);
                }));
    }

    /** The candidates the filter lets through and the user may see, in the same order. */
    private Mono<List<SearchCandidate>> visible(Scopes scopes, RoomEventFilter filter,
            List<SearchCandidate> candidates) {
        return Mono.fromCallable(() -> candidates.stream().filter(c -> filter.allowsContent(
                EventBuilder.parse(c.event().json(), RoomVersions.V1).path("content"))).toList())
                .subscribeOn(cpu)
                .flatMap(passing -> Flux.fromIterable(byRoom(passing.stream().map(SearchCandidate::event).toList())
                        .entrySet())
                        .flatMap(room -> scopes.of(room.getKey()).flatMap(scope -> access.visible(scopes.user,
                                scope.get(), room.getValue())).defaultIfEmpty(List.of()))
                        .collectList()
                        .map(lists -> {
                            Set<String> ids = new HashSet<>();
                            lists.forEach(rows -> rows.forEach(r -> ids.add(r.eventId())));
                            return passing.stream().filter(c -> ids.contains(c.event().eventId())).toList();
                        }));
    }

    private Mono<List<Hit>> hits(UserId user, Scopes scopes, SearchRequest request, List<SearchCandidate> results) {
        Map<String, List<EventRow>> rooms = byRoom(results.stream().map(SearchCandidate::event).toList());
        return Flux.fromIterable(rooms.entrySet())
                .flatMap(room -> scopes.of(room.getKey()).map(Optional::get)
                        .flatMap(scope -> views.of(scope.version(), room.getValue())))
                .collectList()
                .flatMap(lists -> {
                    Map<String, RoomEvent> byId = new HashMap<>();
                    lists.forEach(events -> events.forEach(e -> byId.put(e.eventId().value(), e)));
                    return Flux.fromIterable(results).concatMap(c -> hit(user, scopes, request, c,
                            byId.get(c.event().eventId()))).collectList();
                });
    }

    private Mono<Hit> hit(UserId user, Scopes scopes, SearchRequest request, SearchCandidate candidate,
            RoomEvent event) {
        if (request.context() == null) {
            return Mono.just(new Hit(event, candidate.rank(), null));
        }
        return scopes.of(candidate.event().roomId()).map(Optional::get)
                .flatMap(scope -> contexts.of(user, scope, candidate.event(), request.context()))
                .map(context -> new Hit(event, candidate.rank(), context));
    }

    /** The state of each room of the results, as the user may read it (a former member's at their leave). */
    private Mono<Map<RoomId, List<RoomEvent>>> state(UserId user, List<SearchCandidate> results) {
        Set<String> rooms = new LinkedHashSet<>();
        results.forEach(c -> rooms.add(c.event().roomId()));
        return Flux.fromIterable(rooms).flatMap(room -> reader.state(user, new RoomId(room))
                .map(state -> Map.entry(new RoomId(room), state))
                .onErrorResume(LocalClientSearchApi::forbidden, e -> Mono.empty()))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
    }

    private static Map<String, List<EventRow>> byRoom(List<EventRow> rows) {
        Map<String, List<EventRow>> byRoom = new LinkedHashMap<>();
        rows.forEach(r -> byRoom.computeIfAbsent(r.roomId(), k -> new ArrayList<>()).add(r));
        return byRoom;
    }

    private static boolean forbidden(Throwable e) {
        return e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN;
    }

    /** Each room's read scope for the searcher, looked up once per search; empty when they may read nothing. */
    private final class Scopes {

        private final UserId user;
        private final Map<String, Mono<Optional<ReadScope>>> byRoom = new ConcurrentHashMap<>();

        Scopes(UserId user) {
            this.user = user;
        }

        Mono<Optional<ReadScope>> of(String roomId) {
            return byRoom.computeIfAbsent(roomId, room -> access.scope(user, new RoomId(room)).map(Optional::of)
                    .onErrorResume(LocalClientSearchApi::forbidden, e -> Mono.just(Optional.empty())).cache())
                    .filter(Optional::isPresent);
        }
    }
}
