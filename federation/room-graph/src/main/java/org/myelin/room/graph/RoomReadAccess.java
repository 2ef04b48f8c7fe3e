package org.myelin.room.graph;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.myelin.db.ephemeral.AccountDataRepository;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.MemberHistoryRow;
import org.myelin.db.room.MembershipRow;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateAtEventsRepository;
import org.myelin.db.slidingsync.SlidingWindowRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.protocol.visibility.HistoryVisibility;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The one place that decides what a user may read of a room. First the room as a whole ({@link #scope}): a
 * joined member reads up to now; anyone may read a room whose current history_visibility is world_readable; an
 * invitee reads up to now; a former member who was once joined or invited reads up to the event that ended their
 * membership; anyone else gets 403 M_FORBIDDEN (as does a request for an unknown room, so room existence does not
 * leak). Then each event ({@link #visible}): the spec's history visibility rules, applied to the state before the
 * event. Every read in {@link RoomReader} and {@link RoomReadService} goes through both. Events the reader
 * ignores (m.ignored_user_list: any but state events of an ignored sender) are hidden at the same step.
 */
final class RoomReadAccess {

    private final RoomStore store;
    private final StateAtEventsRepository stateAt;
    private final VisibilityFilter filter;
    private final AccountDataRepository accountData;
    private final SlidingWindowRepository window;

    RoomReadAccess(RoomStore store, Scheduler cpu) {
        this.store = store;
        this.accountData = new AccountDataRepository(store.db());
        this.stateAt = new StateAtEventsRepository(store.db());
        this.filter = new VisibilityFilter(stateAt, store.events(), cpu);
        this.window = new SlidingWindowRepository(store.db());
    }

    /** What {@code user} may read of {@code roomId}; errors with 403 M_FORBIDDEN when nothing. */
    Mono<ReadScope> scope(UserId user, RoomId roomId) {
        return ignoredBy(user).flatMap(ignored -> scope(user, roomId, ignored));
    }

    /** The users {@code user} ignores (their m.ignored_user_list account data). */
    Mono<Set<String>> ignoredBy(UserId user) {
        return accountData.ignoredUsers(user.toString());
    }

    /** {@link #scope(UserId, RoomId)} for a reader whose ignored users the caller has read already. */
    Mono<ReadScope> scope(UserId user, RoomId roomId, Set<String> ignored) {
        String room = roomId.value();
        String userId = user.toString();
        return store.rooms().find(room).switchIfEmpty(Mono.error(() -> notInRoom(roomId)))
                .flatMap(row -> Mono.zip(store.memberships().find(room, userId).map(List::of)
                        .defaultIfEmpty(List.of()), worldReadable(room), stateAt.memberHistory(room, userId))
                        .flatMap(t -> decide(roomId, version(row), t.getT1().stream().findFirst().orElse(null),
                                t.getT2(), t.getT3(), ignored)));
    }

    /**
     * {@link #scope(UserId, RoomId)} of many rooms at once: three queries side by side for all of them (ignored
     * users, rooms with the user's membership and history visibility, the user's member events), and the state
     * group of the leave for each room the user left. Rooms the user may not read are absent.
     */
    Mono<Map<String, ReadScope>> scopes(UserId user, Collection<String> roomIds) {
        String userId = user.toString();
        return Mono.zip(ignoredBy(user), window.scopes(userId, roomIds), window.memberHistories(userId, roomIds))
                .flatMap(t -> Flux.fromIterable(t.getT2().values()).flatMap(row -> Mono.defer(() -> decide(
                        new RoomId(row.roomId()), RoomVersions.find(row.roomVersion()).orElseThrow(),
                        row.membership(), isWorldReadable(row.historyVisibility()),
                        t.getT3().getOrDefault(row.roomId(), List.of()), t.getT1()))
                        .map(scope -> Map.entry(row.roomId(), scope))
                        .onErrorResume(e -> e instanceof MatrixException || e instanceof NoSuchElementException,
                                e -> Mono.empty()))
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The scope, which must allow reading state (GET /state, /members, /context's state). */
    Mono<ReadScope> stateScope(UserId user, RoomId roomId) {
        return scope(user, roomId).filter(ReadScope::stateVisible).switchIfEmpty(Mono.error(() -> notInRoom(roomId)));
    }

    /** The events of {@code rows} (of one room, in any order) that the user may see within the scope, in the same order. */
    Mono<List<EventRow>> visible(UserId user, ReadScope scope, List<EventRow> rows) {
        List<EventRow> inScope = rows.stream().filter(r -> scope.covers(position(r)) && !scope.hides(r)).toList();
        return filter.visible(user.toString(), scope, inScope);
    }

    /**
     * {@link #visible(UserId, ReadScope, List)} of several rooms' events at once (each batch with its scope), in
     * the queries of one.
     */
    Mono<List<List<EventRow>>> visible(UserId user, List<VisibilityFilter.Batch> batches) {
        return filter.visible(user.toString(), batches.stream().map(b -> new VisibilityFilter.Batch(b.scope(),
                b.rows().stream().filter(r -> b.scope().covers(position(r)) && !b.scope().hides(r)).toList()))
                .toList());
    }

    /** One event if the user may see it; empty otherwise. */
    Mono<EventRow> visible(UserId user, ReadScope scope, EventRow row) {
        return visible(user, scope, List.of(row)).flatMap(rows -> Mono.justOrEmpty(rows.stream().findFirst()));
    }

    private Mono<ReadScope> decide(RoomId roomId, RoomVersion version, MembershipRow membership,
            boolean worldReadable, List<MemberHistoryRow> history, Set<String> ignored) {
        TimelinePosition lastJoin = null;
        boolean everInvited = false;
        for (MemberHistoryRow event : history) {
            if ("join".equals(event.membership())) {
                lastJoin = new TimelinePosition(event.topologicalOrdering(), event.streamOrdering());
            }
            everInvited |= "invite".equals(event.membership());
        }
        String current = membership == null ? null : membership.membership();
        if ("join".equals(current)) {
            return Mono.just(new ReadScope(version, null, null, true, lastJoin, true, ignored));
        }
        if (worldReadable || "invite".equals(current)) {
            return Mono.just(new ReadScope(version, null, null, false, lastJoin, worldReadable, ignored));
        }
        if (membership == null || lastJoin == null && !everInvited) {
            return Mono.error(notInRoom(roomId));
        }
        boolean wasJoined = lastJoin != null;
        TimelinePosition joinedAt = lastJoin;
        return store.events().find(membership.eventId()).flatMap(event -> store.stateGroups()
                .groupOfEvent(event.eventId()).map(group -> new ReadScope(version, position(event), group, false,
                        joinedAt, wasJoined, ignored)));
    }

    private Mono<Boolean> worldReadable(String roomId) {
        return store.currentState().event(roomId, HistoryVisibility.TYPE, "")
                .map(row -> isWorldReadable(EventBuilder.parse(row.json(), RoomVersions.V1)
                        .path("content").path("history_visibility").stringValue(null)))
                .defaultIfEmpty(false);
    }

    private static boolean isWorldReadable(String historyVisibility) {
        return HistoryVisibility.parse(historyVisibility) == HistoryVisibility.WORLD_READABLE;
    }

    private static RoomVersion version(RoomRow room) {
        return RoomVersions.find(room.roomVersion()).orElseThrow(
                () -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION, "Unknown room version"));
    }

    static TimelinePosition position(EventRow row) {
        return new TimelinePosition(row.topologicalOrdering(), row.streamOrdering());
    }

    static MatrixException notInRoom(RoomId roomId) {
        return MatrixException.forbidden("You are not allowed to read room " + roomId.value());
    }
}
