package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.sync.SyncRepository;
import org.myelin.db.sync.TimelineQuery;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SyncMembership;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Mono;

/**
 * One room's /sync slice. The timeline is the latest {@code limit} events of the window (the window ends at the
 * user's leave for a room they left). The state is what changed between the client's position and the start of
 * the timeline: nothing is read when the timeline covers the whole window unfiltered; otherwise the two state
 * groups are compared in the database. An initial, full-state or newly joined sync gets the whole state at the
 * start of the timeline. With lazy loading only the timeline senders' (and the user's) member events are read.
 */
final class RoomSliceReader {

    private static final String MEMBER = "m.room.member";
    private static final int HEROES = 5;

    private final RoomStore store;
    private final SyncRepository syncs;
    private final RoomReadAccess access;
    private final ClientViews views;

    RoomSliceReader(RoomStore store, SyncRepository syncs, RoomReadAccess access, ClientViews views) {
        this.store = store;
        this.syncs = syncs;
        this.access = access;
        this.views = views;
    }

    Mono<RoomSlice> slice(UserId user, SyncMembership m, RoomSliceQuery q) {
        String roomId = m.roomId().value();
        long upper = m.isLeave() ? Math.min(q.upTo(), m.streamOrdering()) : q.upTo();
        EventFilter f = q.timeline();
        TimelineQuery tq = new TimelineQuery(roomId, q.since(), upper, q.limit() + 1,
                RoomReader.likePatterns(f.types()), RoomReader.likePatterns(f.notTypes()), f.senders(),
                f.notSenders());
        return access.scope(user, m.roomId()).flatMap(scope -> syncs.latest(tq).flatMap(rows -> {
            boolean limited = rows.size() > q.limit();
            List<EventRow> chronological = new ArrayList<>(limited ? rows.subList(0, q.limit()) : rows);
            chronological.sort(Comparator.comparingLong(EventRow::streamOrdering));
            TimelinePosition prevBatch = chronological.isEmpty() ? null
                    : RoomReadAccess.position(chronological.get(0));
            long start = chronological.isEmpty() ? upper : chronological.get(0).streamOrdering() - 1;
            boolean complete = !limited && !filters(f) && q.since() > 0;
            return access.visible(user, scope, chronological)
                    .flatMap(visible -> views.of(scope.version(), visible))
                    .flatMap(timeline -> stateEntries(user, m, q, start, complete, timeline)
                            .flatMap(entries -> events(entries, scope))
                            .flatMap(state -> summary(user, m).map(Optional::of).defaultIfEmpty(Optional.empty())
                                    .map(s -> new RoomSlice(timeline, limited, prevBatch, state, s.orElse(null)))));
        }));
    }

    private Mono<List<StateEntry>> stateEntries(UserId user, SyncMembership m, RoomSliceQuery q, long start,
            boolean complete, List<RoomEvent> timeline) {
        String roomId = m.roomId().value();
        List<String> members = q.lazyLoadMembers() ? senders(user, timeline) : null;
        boolean joinedInWindow = "join".equals(m.membership()) && m.streamOrdering() > q.since();
        if (complete && members == null && !joinedInWindow && !q.fullState()) {
            return Mono.just(List.of());
        }
        return syncs.stateGroupAt(roomId, start).flatMap(startGroup -> {
            if (q.since() == 0 || q.fullState()) {
                return syncs.stateDelta(null, startGroup, members);
            }
            return syncs.stateGroupAt(roomId, q.since()).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(sinceGroup -> wasJoined(user, sinceGroup, joinedInWindow).flatMap(joined -> {
                        if (!joined) {
                            return syncs.stateDelta(null, startGroup, members);
                        }
                        Mono<List<StateEntry>> changed = complete ? Mono.just(List.of())
                                : syncs.stateDelta(sinceGroup.get(), startGroup, members == null ? null : List.of());
                        if (members == null) {
                            return changed;
                        }
                        return changed.zipWith(store.stateGroups().load(startGroup, MEMBER, members), (a, b) -> {
                            List<StateEntry> all = new ArrayList<>(a);
                            all.addAll(b);
                            return all;
                        });
                    }));
        }).defaultIfEmpty(List.of());
    }

    /** Whether the user was joined at the client's position (only read when they joined in the window). */
    private Mono<Boolean> wasJoined(UserId user, Optional<Long> sinceGroup, boolean joinedInWindow) {
        if (sinceGroup.isEmpty()) {
            return Mono.just(false);
        }
        if (!joinedInWindow) {
            return Mono.just(true);
        }
        return store.stateGroups().load(sinceGroup.get(), MEMBER, List.of(user.toString()))
                .flatMap(entries -> entries.isEmpty() ? Mono.just(false)
                        : store.events().find(entries.get(0).eventId())
                                .map(row -> "join".equals(EventBuilder.parse(row.json(), RoomVersions.V1)
                                        .path("content").path("membership").stringValue("")))
                                .defaultIfEmpty(false));
    }

    private Mono<List<RoomEvent>> events(List<StateEntry> entries, ReadScope scope) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        return store.events().findAll(entries.stream().map(StateEntry::eventId).distinct().toList())
                .map(rows -> rows.stream().sorted(Comparator.comparingLong(EventRow::streamOrdering)).toList())
                .flatMap(rows -> views.of(scope.version(), rows));
    }

    private Mono<RoomSlice.Summary> summary(UserId user, SyncMembership m) {
        if (!"join".equals(m.membership())) {
            return Mono.empty();
        }
        String roomId = m.roomId().value();
        return syncs.memberCounts(roomId).zipWith(syncs.heroes(roomId, user.toString(), HEROES),
                (counts, heroes) -> new RoomSlice.Summary(heroes, counts[0], counts[1]));
    }

    private static boolean filters(EventFilter f) {
        return !f.types().isEmpty() || !f.notTypes().isEmpty() || !f.senders().isEmpty()
                || !f.notSenders().isEmpty();
    }

    private static List<String> senders(UserId user, List<RoomEvent> timeline) {
        Set<String> senders = new LinkedHashSet<>();
        senders.add(user.toString());
        timeline.forEach(e -> senders.add(EventBuilder.parse(e.json(), RoomVersions.V1).path("sender")
                .stringValue("")));
        return List.copyOf(senders);
    }
}
