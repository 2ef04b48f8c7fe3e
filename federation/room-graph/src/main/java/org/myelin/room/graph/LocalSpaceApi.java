package org.myelin.room.graph;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.myelin.db.room.SpaceHierarchySessionRepository;
import org.myelin.db.room.SpaceHierarchySessionRepository.Session;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.space.RoomSummary;
import org.myelin.federation.protocol.space.SpaceRoom;
import org.myelin.room.api.ClientSpaceApi;
import org.myelin.room.api.HierarchyPage;
import org.myelin.room.api.HierarchyQuery;
import org.myelin.room.api.RemoteHierarchies;
import org.myelin.room.api.RoomPreview;
import org.myelin.room.graph.SpaceSummaries.Viewer;

import reactor.core.publisher.Mono;

/**
 * {@link ClientSpaceApi} over {@link SpaceSummaries} and, for rooms this server is not in, other servers
 * ({@link RemoteHierarchies}, at most {@link #MAX_VIA} of a child's {@code via} servers). The hierarchy is walked
 * depth first as Synapse does: a room this server is in is summarised from its state; another is taken from the
 * summary its parent's server gave, unless it is a space whose children are wanted, which its own servers are asked
 * for. A page holds at most {@link HierarchyQuery#MAX_LIMIT} rooms and the walk goes {@link #MAX_DEPTH} levels
 * deep; the walk's state is stored for {@link #SESSION_VALIDITY} under the page's {@code next_batch}, so any node
 * serves the next page.
 */
public final class LocalSpaceApi implements ClientSpaceApi {

    /** How deep the walk goes below the root at most, whatever the client asks. */
    static final int MAX_DEPTH = 50;
    /** The most servers asked about one remote room. */
    static final int MAX_VIA = 3;
    static final Duration SESSION_VALIDITY = Duration.ofMinutes(5);
    private static final int TOKEN_BYTES = 18;

    private final SpaceSummaries summaries;
    private final RemoteHierarchies remote;
    private final SpaceHierarchySessionRepository sessions;
    private final ServerName self;
    private final Clock clock;
    private final SecureRandom random;

    public LocalSpaceApi(SpaceSummaries summaries, RemoteHierarchies remote, RoomStore store, ServerName self,
            Clock clock, SecureRandom random) {
        this.summaries = summaries;
        this.remote = remote;
        this.sessions = new SpaceHierarchySessionRepository(store.db());
        this.self = self;
        this.clock = clock;
        this.random = random;
    }

    /** What visiting one room found: the room, or null when it is left out, and what its server said of children. */
    private record Visit(SpaceRoom room, Map<String, RoomSummary> children, Set<String> inaccessible) {

        static final Visit NONE = new Visit(null, Map.of(), Set.of());
    }

    @Override
    public Mono<HierarchyPage> hierarchy(UserId user, RoomId root, HierarchyQuery query) {
        Viewer viewer = Viewer.user(user);
        int maxDepth = query.maxDepth() == null ? MAX_DEPTH : Math.min(query.maxDepth(), MAX_DEPTH);
        int limit = Math.min(query.limit(), HierarchyQuery.MAX_LIMIT);
        return summaries.summarise(root, viewer, false)
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden("You may not preview room " + root)))
                .then(Mono.defer(() -> query.from() == null ? Mono.just(HierarchyWalk.from(root.value()))
                        : resume(user, root, query)))
                .flatMap(walk -> {
                    List<SpaceRoom> rooms = new ArrayList<>();
                    return step(walk, rooms, viewer, query.suggestedOnly(), maxDepth, limit)
                            .then(Mono.defer(() -> walk.hasMore() ? save(walk, user, root, query) : Mono.empty()))
                            .map(token -> new HierarchyPage(rooms, token))
                            .switchIfEmpty(Mono.fromSupplier(() -> new HierarchyPage(rooms, null)));
                });
    }

    @Override
    public Mono<RoomPreview> summary(UserId user, RoomId roomId, List<ServerName> via) {
        Viewer viewer = Viewer.user(user);
        return summaries.isLocal(roomId)
                .flatMap(local -> local ? summaries.summarise(roomId, viewer, false).map(SpaceRoom::summary)
                        : user == null ? Mono.<RoomSummary>empty()
                        : remote.hierarchy(servers(via.stream().map(ServerName::value).toList()), roomId, true)
                                .map(answer -> answer.room().summary())
                                .filterWhen(summary -> summaries.mayPreview(summary, viewer)))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Room not found or not accessible")))
                .flatMap(summary -> user == null ? Mono.just(new RoomPreview(summary, null))
                        : summaries.membership(roomId.value(), user)
                                .map(membership -> new RoomPreview(summary, membership.orElse("leave"))));
    }

    /** Visits rooms until the page is full or the walk is done. */
    private Mono<Void> step(HierarchyWalk walk, List<SpaceRoom> rooms, Viewer viewer, boolean suggestedOnly,
            int maxDepth, int limit) {
        return Mono.defer(() -> {
            if (rooms.size() >= limit) {
                return Mono.empty();
            }
            HierarchyWalk.Entry entry = walk.next();
            if (entry == null) {
                return Mono.empty();
            }
            return visit(entry, viewer, suggestedOnly, maxDepth).flatMap(visit -> {
                walk.visited(entry.roomId());
                if (visit.room() != null) {
                    rooms.add(visit.room());
                    if (entry.depth() < maxDepth) {
                        walk.push(entry, visit.room().children(), visit.children(), visit.inaccessible());
                    }
                }
                return step(walk, rooms, viewer, suggestedOnly, maxDepth, limit);
            });
        });
    }

    private Mono<Visit> visit(HierarchyWalk.Entry entry, Viewer viewer, boolean suggestedOnly, int maxDepth) {
        RoomId roomId;
        try {
            roomId = RoomId.parse(entry.roomId());
        } catch (MatrixException malformed) {
            return Mono.just(Visit.NONE);
        }
        return summaries.isLocal(roomId).flatMap(local -> local
                ? summaries.summarise(roomId, viewer, true)
                        .map(room -> new Visit(room.suggestedOnly(suggestedOnly), Map.of(), Set.of()))
                        .defaultIfEmpty(Visit.NONE)
                : remoteVisit(entry, roomId, suggestedOnly, maxDepth)
                        .filterWhen(visit -> summaries.mayPreview(visit.room().summary(), viewer))
                        .defaultIfEmpty(Visit.NONE));
    }

    /** A room this server is not in: from its parent's answer when that is enough, else from its own servers. */
    private Mono<Visit> remoteVisit(HierarchyWalk.Entry entry, RoomId roomId, boolean suggestedOnly, int maxDepth) {
        RoomSummary known = entry.remote();
        if (known != null && (!known.isSpace() || entry.depth() >= maxDepth)) {
            return Mono.just(new Visit(new SpaceRoom(known, List.of()), Map.of(), Set.of()));
        }
        return remote.hierarchy(servers(entry.via()), roomId, suggestedOnly)
                .filter(answer -> answer.room().roomId().equals(roomId.value()))
                .map(answer -> {
                    SpaceRoom room = answer.room().summary().isSpace() ? answer.room().suggestedOnly(suggestedOnly)
                            : new SpaceRoom(answer.room().summary(), List.of());
                    return new Visit(room, answer.children(), answer.inaccessible());
                });
    }

    /** Up to {@link #MAX_VIA} valid server names of {@code via}, this server left out. */
    private List<ServerName> servers(List<String> via) {
        List<ServerName> servers = new ArrayList<>();
        for (String name : via) {
            try {
                ServerName server = ServerName.parse(name);
                if (!server.equals(self) && !servers.contains(server)) {
                    servers.add(server);
                }
            } catch (MatrixException malformed) {
                continue;
            }
            if (servers.size() == MAX_VIA) {
                break;
            }
        }
        return servers;
    }

    private Mono<HierarchyWalk> resume(UserId user, RoomId root, HierarchyQuery query) {
        return sessions.find(query.from(), clock.millis())
                .filter(s -> s.userId().equals(user.toString()) && s.roomId().equals(root.value())
                        && s.suggestedOnly() == query.suggestedOnly() && Objects.equals(s.maxDepth(), query.maxDepth()))
                .map(s -> HierarchyWalk.fromJson(s.walk()))
                .switchIfEmpty(Mono.error(() -> MatrixException.invalidParam(
                        "Unknown pagination token, or suggested_only or max_depth changed")));
    }

    private Mono<String> save(HierarchyWalk walk, UserId user, RoomId root, HierarchyQuery query) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long now = clock.millis();
        return sessions.save(token, new Session(user.toString(), root.value(), query.suggestedOnly(), query.maxDepth(),
                walk.toJson()), now, now + SESSION_VALIDITY.toMillis()).thenReturn(token);
    }
}
