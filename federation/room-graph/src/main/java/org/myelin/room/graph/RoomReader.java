package org.myelin.room.graph;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.myelin.db.room.EventPageQuery;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.sync.SyncRepository;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.MembersQuery;
import org.myelin.room.api.MessagesPage;
import org.myelin.room.api.MessagesQuery;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The room reads of the client API, each limited by {@link RoomReadAccess}. */
final class RoomReader {

    private static final String MEMBER = "m.room.member";

    private final RoomStore store;
    private final RoomReadAccess access;
    private final ClientViews views;
    private final SyncRepository syncs;

    RoomReader(RoomStore store, RoomReadAccess access, ClientViews views) {
        this.store = store;
        this.access = access;
        this.views = views;
        this.syncs = new SyncRepository(store.db());
    }

    /** A reader over the store, parsing and filtering events on {@code cpu}. */
    static RoomReader over(RoomStore store, Scheduler cpu) {
        return new RoomReader(store, new RoomReadAccess(store, cpu), new ClientViews(store, cpu));
    }

    Mono<List<RoomEvent>> state(UserId user, RoomId roomId) {
        return access.stateScope(user, roomId).flatMap(scope -> (scope.isCurrent()
                ? store.currentState().events(roomId.value())
                : store.stateGroups().load(scope.stateGroup()).flatMap(this::eventsOf))
                .flatMap(rows -> views.of(scope.version(), rows)));
    }

    Mono<RoomEvent> stateEvent(UserId user, RoomId roomId, String type, String stateKey) {
        return access.stateScope(user, roomId).flatMap(scope -> (scope.isCurrent()
                ? store.currentState().event(roomId.value(), type, stateKey)
                : store.stateGroups().load(scope.stateGroup(), type, List.of(stateKey))
                        .flatMap(entries -> entries.isEmpty() ? Mono.empty()
                                : store.events().find(entries.get(0).eventId())))
                .flatMap(row -> views.of(scope.version(), row)))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")));
    }

    /** One event the user may see; 404 M_NOT_FOUND when it is unknown, in another room or not visible. */
    Mono<RoomEvent> event(UserId user, RoomId roomId, EventId eventId) {
        return access.scope(user, roomId).flatMap(scope -> visibleRow(user, scope, roomId, eventId)
                .flatMap(row -> views.of(scope.version(), row)))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")));
    }

    /** The stored event if it is in the room and the user may see it. */
    Mono<EventRow> visibleRow(UserId user, ReadScope scope, RoomId roomId, EventId eventId) {
        return store.events().find(eventId.value()).filter(row -> row.roomId().equals(roomId.value()))
                .flatMap(row -> access.visible(user, scope, row));
    }

    Mono<List<RoomEvent>> members(UserId user, RoomId roomId, MembersQuery query) {
        return access.stateScope(user, roomId).flatMap(scope -> memberRows(roomId, scope, query)
                .flatMap(rows -> views.of(scope.version(), rows)))
                .map(events -> events.stream()
                        .filter(e -> keep(membershipOf(e), query.membership(), query.notMembership())).toList());
    }

    Mono<List<RoomId>> joinedRooms(UserId user) {
        return store.memberships().roomsOf(user.toString(), "join")
                .map(rows -> rows.stream().map(r -> new RoomId(r.roomId())).toList());
    }

    Mono<MessagesPage> messages(UserId user, RoomId roomId, MessagesQuery q) {
        return access.scope(user, roomId).flatMap(scope -> {
            TimelinePosition from = q.from() != null ? q.from()
                    : q.backwards() ? TimelinePosition.END : TimelinePosition.START;
            TimelinePosition to = q.to();
            if (!scope.isCurrent()) {
                TimelinePosition limit = new TimelinePosition(scope.until().topological(),
                        scope.until().stream() + 1);
                if (q.backwards() && from.compareTo(limit) > 0) {
                    from = limit;
                } else if (!q.backwards() && (to == null || to.compareTo(limit) > 0)) {
                    to = limit;
                }
            }
            EventFilter f = q.filter();
            TimelinePosition start = from;
            return store.events().page(new EventPageQuery(roomId.value(), q.backwards(), from.topological(),
                    from.stream(), to == null ? null : to.topological(), to == null ? null : to.stream(), q.limit(),
                    likePatterns(f.types()), likePatterns(f.notTypes()), f.senders(), f.notSenders()))
                    .flatMap(rows -> {
                        TimelinePosition end = rows.size() < q.limit() || rows.isEmpty() ? null
                                : RoomReadAccess.position(rows.get(rows.size() - 1));
                        return access.visible(user, scope, rows).flatMap(visible -> views.of(scope.version(),
                                visible)).flatMap(chunk -> lazyMembers(scope, chunk, f)
                                .map(state -> new MessagesPage(chunk, start, end, state)));
                    });
        });
    }

    private Mono<List<EventRow>> memberRows(RoomId roomId, ReadScope scope, MembersQuery query) {
        if (query.atStream() != null) {
            Mono<Long> group = !scope.isCurrent() && query.atStream() >= scope.until().stream()
                    ? Mono.just(scope.stateGroup()) : syncs.stateGroupAt(roomId.value(), query.atStream());
            return group.flatMap(g -> store.stateGroups().loadTypes(g, List.of(MEMBER))).flatMap(this::eventsOf)
                    .defaultIfEmpty(List.of());
        }
        TimelinePosition at = query.at();
        if (at == null && scope.isCurrent()) {
            return store.currentState().eventsOfType(roomId.value(), MEMBER);
        }
        TimelinePosition point = at == null || !scope.covers(at) ? scope.until() : at;
        return store.events().latestAtOrBefore(roomId.value(), point.topological(), point.stream())
                .flatMap(event -> store.stateGroups().groupOfEvent(event.eventId()))
                .flatMap(group -> store.stateGroups().loadTypes(group, List.of(MEMBER)))
                .flatMap(this::eventsOf)
                .defaultIfEmpty(List.of());
    }

    /** The member events of the chunk's senders, at the chunk's last event, when the filter asks for them. */
    Mono<List<RoomEvent>> lazyMembers(ReadScope scope, List<RoomEvent> chunk, EventFilter filter) {
        if (!filter.lazyLoadMembers() || chunk.isEmpty()) {
            return Mono.just(List.of());
        }
        Set<String> senders = new LinkedHashSet<>();
        chunk.forEach(e -> senders.add(EventBuilder.parse(e.json(), RoomVersions.V1).path("sender").stringValue("")));
        RoomEvent last = chunk.get(chunk.size() - 1);
        return store.stateGroups().groupOfEvent(last.eventId().value())
                .flatMap(group -> store.stateGroups().load(group, MEMBER, senders))
                .flatMap(this::eventsOf)
                .flatMap(rows -> views.of(scope.version(), rows))
                .defaultIfEmpty(List.of());
    }

    private Mono<List<EventRow>> eventsOf(List<StateEntry> entries) {
        return store.events().findAll(entries.stream().map(StateEntry::eventId).toList());
    }

    private static String membershipOf(RoomEvent event) {
        return EventBuilder.parse(event.json(), RoomVersions.V1).path("content").path("membership").stringValue("");
    }

    private static boolean keep(String membership, String only, String not) {
        return (only == null || only.equals(membership)) && (not == null || !not.equals(membership));
    }

    /** Filter type globs ({@code *} = any sequence) as SQL LIKE patterns. */
    static List<String> likePatterns(List<String> globs) {
        return globs.stream().map(g -> g.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                .replace('*', '%')).toList();
    }
}
