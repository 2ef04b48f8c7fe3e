package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.db.sync.SyncRepository;
import org.myelin.db.sync.TimelineQuery;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.EventFilter;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.RoomSliceQuery;
import org.myelin.room.api.SyncMembership;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * One room's /sync slice. The timeline is the latest {@code limit} events of the window (the window ends at the
 * user's leave for a room they left, and starts at the room's beginning for a room they newly joined, so that an
 * accepted invite shows the room's history at once). The state is what changed between the client's position and
 * the start of the timeline: nothing is read when the timeline covers the whole window unfiltered; otherwise the
 * two state groups are compared in the database. An initial, full-state or newly joined sync gets the whole state
 * at the start of the timeline. A query for the state after the timeline ({@code use_state_after}) takes all of
 * this at the timeline's end instead, where the delta also holds the timeline's own state events (the client does
 * not apply those), so it is read unless the timeline covers the window unfiltered and holds no state event.
 *
 * <p>With lazy loading the member events sent are those of the timeline's senders (unless their member event is
 * earlier in the same timeline and the state is taken at its start), of the senders of the state events sent, of
 * the heroes, and the user's own when the state is full; a gap still brings every member change in it, as the spec
 * requires. Leaving out the members the client already has (redundant ones) is the caller's part, since only it
 * knows the device's history.
 */
final class RoomSliceReader {

    private static final String MEMBER = "m.room.member";
    private static final int HEROES = 5;
    private static final List<StateKey> NAMING = List.of(new StateKey("m.room.name", ""),
            new StateKey("m.room.canonical_alias", ""));

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
        return access.scope(user, m.roomId(), q.ignored()).flatMap(scope -> joinedAt(user, m, q)
                .flatMap(joined -> slice(user, m, q, scope, joined)));
    }

    private Mono<RoomSlice> slice(UserId user, SyncMembership m, RoomSliceQuery q, ReadScope scope,
            boolean joinedBefore) {
        String roomId = m.roomId().value();
        long upper = m.isLeave() ? Math.min(q.upTo(), m.streamOrdering()) : q.upTo();
        boolean newlyJoined = "join".equals(m.membership()) && q.since() > 0 && !joinedBefore;
        boolean fullState = q.since() == 0 || q.fullState() || !joinedBefore;
        EventFilter f = q.timeline();
        TimelineQuery tq = new TimelineQuery(roomId, newlyJoined ? 0 : q.since(), upper, q.limit() + 1,
                RoomReader.likePatterns(f.types()), RoomReader.likePatterns(f.notTypes()), f.senders(),
                f.notSenders(), List.copyOf(q.ignored()));
        return syncs.latest(tq).flatMap(rows -> {
            boolean limited = rows.size() > q.limit();
            List<EventRow> chronological = new ArrayList<>(limited ? rows.subList(0, q.limit()) : rows);
            chronological.sort(Comparator.comparingLong(EventRow::streamOrdering));
            long start = chronological.isEmpty() ? upper : chronological.get(0).streamOrdering() - 1;
            long stateAt = q.stateAfter() ? upper : start;
            boolean complete = !limited && !filters(f)
                    && (!q.stateAfter() || chronological.stream().allMatch(row -> row.stateKey() == null));
            return access.visible(user, scope, chronological)
                    .flatMap(visible -> views.of(scope.version(), visible))
                    .flatMap(timeline -> summary(user, m).map(Optional::of).defaultIfEmpty(Optional.empty())
                            .flatMap(summary -> {
                                Wanted wanted = new Wanted(roomId, stateAt, q.since(), fullState, complete,
                                        q.lazyLoadMembers() ? neededMembers(user, timeline, summary, fullState,
                                                q.stateAfter()) : null);
                                return state(wanted, scope).map(state -> new RoomSlice(timeline, limited, start,
                                        state, summary.orElse(null), fullState, newlyJoined));
                            }));
        });
    }

    /**
     * Whether the user was joined at the client's position. Only a join since then needs looking up (a first
     * join or a rejoin); any other membership is taken as changed after a join the client knew of, or the room
     * would not be reported.
     */
    private Mono<Boolean> joinedAt(UserId user, SyncMembership m, RoomSliceQuery q) {
        if (q.since() == 0) {
            return Mono.just(false);
        }
        if (!"join".equals(m.membership()) || m.streamOrdering() <= q.since()) {
            return Mono.just(true);
        }
        return syncs.stateGroupAt(m.roomId().value(), q.since())
                .flatMap(group -> store.stateGroups().load(group, MEMBER, List.of(user.toString())))
                .flatMap(entries -> entries.isEmpty() ? Mono.just(false)
                        : store.events().find(entries.get(0).eventId())
                                .map(row -> "join".equals(json(row.json()).path("content").path("membership")
                                        .stringValue("")))
                                .defaultIfEmpty(false))
                .defaultIfEmpty(false);
    }

    /** The state section: {@link #entries}, then (lazy loading) the members of the state events' senders. */
    private Mono<List<RoomEvent>> state(Wanted w, ReadScope scope) {
        if (!w.fullState() && w.complete() && w.members() == null) {
            return Mono.just(List.of());
        }
        return syncs.stateGroupAt(w.roomId(), w.start())
                .flatMap(startGroup -> entries(w, startGroup).flatMap(entries -> events(entries, scope))
                        .flatMap(state -> w.members() == null ? Mono.just(state)
                                : withStateSenders(state, startGroup, scope)))
                .defaultIfEmpty(List.of());
    }

    private Mono<List<StateEntry>> entries(Wanted w, long startGroup) {
        List<String> members = w.members();
        if (w.fullState()) {
            return syncs.stateDelta(null, startGroup, members);
        }
        Mono<List<StateEntry>> changed = w.complete() ? Mono.just(List.of())
                : syncs.stateGroupAt(w.roomId(), w.since())
                        .flatMap(sinceGroup -> syncs.stateDelta(sinceGroup, startGroup, null))
                        .switchIfEmpty(Mono.defer(() -> syncs.stateDelta(null, startGroup, members)));
        if (members == null) {
            return changed;
        }
        return changed.zipWith(store.stateGroups().load(startGroup, MEMBER, members), (a, b) -> {
            List<StateEntry> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    /** {@code state} plus the member events of its state events' senders that it does not hold yet. */
    private Mono<List<RoomEvent>> withStateSenders(List<RoomEvent> state, long startGroup, ReadScope scope) {
        Set<String> present = new LinkedHashSet<>();
        Set<String> senders = new LinkedHashSet<>();
        for (RoomEvent event : state) {
            JsonNode pdu = json(event.json());
            if (MEMBER.equals(pdu.path("type").stringValue(""))) {
                present.add(pdu.path("state_key").stringValue(""));
            } else {
                senders.add(pdu.path("sender").stringValue(""));
            }
        }
        senders.removeAll(present);
        if (senders.isEmpty()) {
            return Mono.just(state);
        }
        return store.stateGroups().load(startGroup, MEMBER, senders).flatMap(entries -> events(entries, scope))
                .map(extra -> {
                    List<RoomEvent> all = new ArrayList<>(state);
                    all.addAll(extra);
                    return all;
                });
    }

    /** The events of the entries, each once, in stream order. */
    private Mono<List<RoomEvent>> events(List<StateEntry> entries, ReadScope scope) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        return store.events().findAll(entries.stream().map(StateEntry::eventId).distinct().toList())
                .map(rows -> rows.stream().sorted(Comparator.comparingLong(EventRow::streamOrdering)).toList())
                .flatMap(rows -> views.of(scope.version(), rows));
    }

    /**
     * The summary of a joined room: member counts, and the heroes when the room has neither a name nor a
     * canonical alias (an empty one counts as none), as the spec's RoomSummary says.
     */
    private Mono<RoomSlice.Summary> summary(UserId user, SyncMembership m) {
        if (!"join".equals(m.membership())) {
            return Mono.empty();
        }
        String roomId = m.roomId().value();
        Mono<Optional<List<String>>> heroes = store.currentState().events(roomId, NAMING).flatMap(naming -> {
            boolean named = naming.stream().map(row -> json(row.json()).path("content"))
                    .anyMatch(c -> !c.path("name").stringValue("").isEmpty()
                            || !c.path("alias").stringValue("").isEmpty());
            return named ? Mono.just(Optional.<List<String>>empty())
                    : syncs.heroes(roomId, user.toString(), HEROES).map(Optional::of);
        });
        return syncs.memberCounts(roomId).zipWith(heroes,
                (counts, h) -> new RoomSlice.Summary(h.orElse(null), counts[0], counts[1]));
    }

    /**
     * The members lazy loading sends: each timeline sender whose member event is not earlier in the timeline,
     * the heroes not in the timeline, and the user when the state is full (the spec's MUST). With the state
     * after the timeline every sender and hero is needed, since the client takes no state from the timeline.
     */
    private static List<String> neededMembers(UserId user, List<RoomEvent> timeline,
            Optional<RoomSlice.Summary> summary, boolean fullState, boolean stateAfter) {
        Set<String> needed = new LinkedHashSet<>();
        Set<String> inTimeline = new LinkedHashSet<>();
        if (fullState) {
            needed.add(user.toString());
        }
        for (RoomEvent event : timeline) {
            JsonNode pdu = json(event.json());
            String sender = pdu.path("sender").stringValue("");
            if (!inTimeline.contains(sender)) {
                needed.add(sender);
            }
            if (!stateAfter && MEMBER.equals(pdu.path("type").stringValue(""))) {
                inTimeline.add(pdu.path("state_key").stringValue(""));
            }
        }
        summary.map(RoomSlice.Summary::heroes).ifPresent(heroes -> heroes.stream()
                .filter(hero -> !inTimeline.contains(hero)).forEach(needed::add));
        return List.copyOf(needed);
    }

    private static boolean filters(EventFilter f) {
        return !f.types().isEmpty() || !f.notTypes().isEmpty() || !f.senders().isEmpty()
                || !f.notSenders().isEmpty();
    }

    private static JsonNode json(String json) {
        return EventBuilder.parse(json, RoomVersions.V1);
    }

    /**
     * What the state section holds.
     *
     * @param start      the events position the state is taken at (just before the timeline, or its end)
     * @param since      the client's events position, for a delta
     * @param fullState  the whole state rather than a delta
     * @param complete   the timeline covers the window unfiltered, so there is no delta
     * @param members    with lazy loading, the members whose member events are sent; null: all
     */
    private record Wanted(String roomId, long start, long since, boolean fullState, boolean complete,
            List<String> members) {
    }
}
