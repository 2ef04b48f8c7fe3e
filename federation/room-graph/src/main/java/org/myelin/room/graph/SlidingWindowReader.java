package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.db.slidingsync.SlidingRoomListRepository;
import org.myelin.db.slidingsync.SlidingWindowRepository;
import org.myelin.db.slidingsync.SlidingWindowRepository.TimelineWindow;
import org.myelin.db.slidingsync.StateQuery;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.RoomSlice;
import org.myelin.room.api.SlidingRoomData;
import org.myelin.room.api.SlidingRoomQuery;
import org.myelin.room.api.SlidingRoomRead;
import org.myelin.room.api.StateSelection;
import org.myelin.room.api.SyncMembership;
import org.myelin.room.api.TimelinePosition;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * Reads the rooms of a sliding sync window (rooms this server has) together: each step is one query, or a fixed
 * few, for all of them instead of one per room — the user's ignored users and read scopes ({@link RoomReadAccess}),
 * the timelines, their events' history visibility ({@link VisibilityFilter}) and client views
 * ({@link ClientViews}), the member counts and heroes, and the selected current state with its events. Only the
 * state at a leave (a former member's room) is read per room. What each room gets is what reading it alone gets.
 */
final class SlidingWindowReader {

    private static final int HEROES = 5;
    private static final List<String> PRESENT = List.of("join", "invite");
    private static final List<String> GONE = List.of("leave", "ban");

    private final RoomStore store;
    private final SlidingRoomListRepository lists;
    private final SlidingWindowRepository window;
    private final RoomReadAccess access;
    private final ClientViews views;

    SlidingWindowReader(RoomStore store, SlidingRoomListRepository lists, Scheduler cpu) {
        this.store = store;
        this.lists = lists;
        this.window = new SlidingWindowRepository(store.db());
        this.access = new RoomReadAccess(store, cpu);
        this.views = new ClientViews(store, cpu);
    }

    /** One read with the scope the user has of its room. */
    private record Scoped(SlidingRoomRead read, ReadScope scope) {

        String roomId() {
            return read.room().membership().roomId().value();
        }

        SlidingRoomQuery query() {
            return read.query();
        }
    }

    /**
     * Per room (one read each, of rooms this server has), its data; a room the user may not read is absent.
     */
    Mono<Map<String, SlidingRoomData>> read(UserId user, List<SlidingRoomRead> reads) {
        if (reads.isEmpty()) {
            return Mono.just(Map.of());
        }
        List<String> roomIds = reads.stream().map(r -> r.room().membership().roomId().value()).toList();
        return access.scopes(user, roomIds).flatMap(scopes -> {
            List<Scoped> readable = reads.stream()
                    .filter(r -> scopes.containsKey(r.room().membership().roomId().value()))
                    .map(r -> new Scoped(r, scopes.get(r.room().membership().roomId().value()))).toList();
            return Mono.zip(timelines(user, readable), summaries(user, readable))
                    .flatMap(t -> stateAndAssemble(readable, t.getT1(), t.getT2()));
        });
    }

    private Mono<Map<String, SlidingRoomData>> stateAndAssemble(List<Scoped> readable, Map<String, Timeline> timelines,
            Map<String, RoomSlice.Summary> summaries) {
        Map<String, Set<String>> lazy = new HashMap<>();
        Map<String, StateSelection> selections = new HashMap<>();
        for (Scoped s : readable) {
            SlidingRoomQuery query = s.query();
            Timeline timeline = timelines.get(s.roomId());
            RoomSlice.Summary summary = summaries.get(s.roomId());
            Set<String> members = query.state().lazyMembers() ? lazyMembers(timeline, query) : Set.of();
            List<StateSelection.Key> keys = new ArrayList<>();
            members.forEach(u -> keys.add(new StateSelection.Key(StateSelection.MEMBER, u)));
            heroes(summary).forEach(u -> keys.add(new StateSelection.Key(StateSelection.MEMBER, u)));
            lazy.put(s.roomId(), members);
            selections.put(s.roomId(), query.state().with(keys));
        }
        return states(readable, selections).map(states -> {
            Map<String, SlidingRoomData> out = new HashMap<>();
            for (Scoped s : readable) {
                out.put(s.roomId(), assemble(s.query().state(), timelines.get(s.roomId()),
                        summaries.get(s.roomId()), lazy.get(s.roomId()), states.getOrDefault(s.roomId(), List.of())));
            }
            return out;
        });
    }

    /** Per room, the latest {@code limit} events of its window the user may see, oldest first. */
    private Mono<Map<String, Timeline>> timelines(UserId user, List<Scoped> readable) {
        List<TimelineWindow> windows = new ArrayList<>();
        Set<String> hidden = new HashSet<>();
        for (Scoped s : readable) {
            SlidingRoomQuery query = s.query();
            long upper = upperBound(s.read().room().membership(), query.upTo());
            if (query.timelineLimit() > 0 && upper > query.since()) {
                windows.add(new TimelineWindow(s.roomId(), query.since(), upper, query.timelineLimit() + 1));
                hidden.addAll(s.scope().ignored());
            }
        }
        Map<String, Timeline> empty = new HashMap<>();
        readable.forEach(s -> empty.put(s.roomId(), Timeline.NONE));
        if (windows.isEmpty()) {
            return Mono.just(empty);
        }
        Map<String, Scoped> byRoom = byRoom(readable);
        return window.latest(windows, hidden).flatMap(found -> {
            List<String> rooms = new ArrayList<>();
            List<VisibilityFilter.Batch> batches = new ArrayList<>();
            Map<String, Boolean> limited = new HashMap<>();
            Map<String, TimelinePosition> prevBatch = new HashMap<>();
            for (TimelineWindow w : windows) {
                List<EventRow> rows = found.getOrDefault(w.roomId(), List.of());
                int limit = w.limit() - 1;
                boolean more = rows.size() > limit;
                List<EventRow> chronological = new ArrayList<>(more ? rows.subList(0, limit) : rows);
                chronological.sort(Comparator.comparingLong(EventRow::streamOrdering));
                rooms.add(w.roomId());
                batches.add(new VisibilityFilter.Batch(byRoom.get(w.roomId()).scope(), chronological));
                limited.put(w.roomId(), more);
                prevBatch.put(w.roomId(), chronological.isEmpty() ? null
                        : RoomReadAccess.position(chronological.get(0)));
            }
            // The client views of every candidate are made while visibility is decided; the hidden are dropped.
            List<EventRow> candidates = batches.stream().flatMap(b -> b.rows().stream()).toList();
            return Mono.zip(access.visible(user, batches), views.of(candidates, versions(byRoom))).map(t -> {
                List<List<EventRow>> visible = t.getT1();
                List<RoomEvent> all = t.getT2();
                Map<String, Timeline> out = new HashMap<>(empty);
                int at = 0;
                for (int i = 0; i < rooms.size(); i++) {
                    Set<String> seen = new HashSet<>();
                    visible.get(i).forEach(row -> seen.add(row.eventId()));
                    int size = batches.get(i).rows().size();
                    List<RoomEvent> events = all.subList(at, at + size).stream()
                            .filter(e -> seen.contains(e.eventId().value())).toList();
                    String roomId = rooms.get(i);
                    out.put(roomId, new Timeline(events, limited.get(roomId), prevBatch.get(roomId)));
                    at += size;
                }
                return out;
            });
        });
    }

    /** Per joined room asked for it, its counts and heroes. */
    private Mono<Map<String, RoomSlice.Summary>> summaries(UserId user, List<Scoped> readable) {
        List<String> rooms = readable.stream()
                .filter(s -> s.query().summary() && "join".equals(s.read().room().membership().membership()))
                .map(Scoped::roomId).toList();
        if (rooms.isEmpty()) {
            return Mono.just(Map.of());
        }
        String userId = user.toString();
        Mono<Map<String, List<String>>> heroes = window.heroes(rooms, userId, HEROES, PRESENT).flatMap(present -> {
            List<String> none = rooms.stream().filter(r -> !present.containsKey(r)).toList();
            return window.heroes(none, userId, HEROES, GONE).map(gone -> {
                Map<String, List<String>> all = new HashMap<>(present);
                all.putAll(gone);
                return all;
            });
        });
        return window.memberCounts(rooms).zipWith(heroes, (counts, found) -> {
            Map<String, RoomSlice.Summary> out = new HashMap<>();
            for (String roomId : rooms) {
                long[] c = counts.get(roomId);
                out.put(roomId, new RoomSlice.Summary(found.getOrDefault(roomId, List.of()), c[0], c[1]));
            }
            return out;
        });
    }

    /**
     * Per room, the selected entries of the state its scope allows (the current state, or the state at the leave),
     * as events oldest first.
     */
    private Mono<Map<String, List<RoomEvent>>> states(List<Scoped> readable, Map<String, StateSelection> selections) {
        Map<String, StateQuery> current = new HashMap<>();
        List<Scoped> past = new ArrayList<>();
        for (Scoped s : readable) {
            StateSelection selection = selections.get(s.roomId());
            if (!s.scope().stateVisible() || selection.isEmpty()) {
                continue;
            }
            if (s.scope().isCurrent()) {
                current.put(s.roomId(), query(selection));
            } else {
                past.add(s);
            }
        }
        Mono<Map<String, List<StateEntry>>> pastStates = Flux.fromIterable(past)
                .flatMap(s -> lists.groupState(s.scope().stateGroup(), query(selections.get(s.roomId())))
                        .map(entries -> Map.entry(s.roomId(), entries)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        Map<String, Scoped> byRoom = byRoom(readable);
        return window.currentStates(current).zipWith(pastStates, (a, b) -> {
            Map<String, List<StateEntry>> all = new HashMap<>(a);
            all.putAll(b);
            return all;
        }).flatMap(entries -> {
            Set<String> ids = new LinkedHashSet<>();
            entries.values().forEach(list -> list.forEach(e -> ids.add(e.eventId())));
            if (ids.isEmpty()) {
                return Mono.just(Map.<String, List<RoomEvent>>of());
            }
            return store.events().findAll(List.copyOf(ids)).flatMap(rows -> {
                Map<String, EventRow> byId = new HashMap<>();
                rows.forEach(r -> byId.put(r.eventId(), r));
                List<String> rooms = new ArrayList<>();
                List<List<EventRow>> perRoom = new ArrayList<>();
                entries.forEach((roomId, list) -> {
                    rooms.add(roomId);
                    perRoom.add(list.stream().map(e -> byId.get(e.eventId())).filter(r -> r != null).distinct()
                            .sorted(Comparator.comparingLong(EventRow::streamOrdering)).toList());
                });
                return views.ofCurrentState(perRoom.stream().flatMap(List::stream).toList(), versions(byRoom))
                        .map(all -> {
                            Map<String, List<RoomEvent>> out = new HashMap<>();
                            int at = 0;
                            for (int i = 0; i < rooms.size(); i++) {
                                int size = perRoom.get(i).size();
                                out.put(rooms.get(i), all.subList(at, at + size));
                                at += size;
                            }
                            return out;
                        });
            });
        });
    }

    /** Splits the state read into the selected entries and the heroes' member events. */
    private static SlidingRoomData assemble(StateSelection selection, Timeline timeline, RoomSlice.Summary summary,
            Set<String> lazy, List<RoomEvent> state) {
        List<String> heroes = heroes(summary);
        List<RoomEvent> selected = new ArrayList<>();
        List<RoomEvent> heroMembers = new ArrayList<>();
        for (RoomEvent event : state) {
            JsonNode pdu = EventBuilder.parse(event.json(), RoomVersions.V1);
            String type = pdu.path("type").stringValue("");
            String key = pdu.path("state_key").stringValue("");
            boolean member = StateSelection.MEMBER.equals(type);
            if (selection.matches(type, key) || member && lazy.contains(key)) {
                selected.add(event);
            }
            if (member && heroes.contains(key)) {
                heroMembers.add(event);
            }
        }
        return new SlidingRoomData(timeline.events(), timeline.limited(), timeline.prevBatch(), selected, lazy,
                summary, heroMembers);
    }

    /**
     * The senders and member targets of the timeline the client has not been sent, and for a timeline that is not
     * limited the members whose membership changed; none the selection names anyway.
     */
    private static Set<String> lazyMembers(Timeline timeline, SlidingRoomQuery query) {
        Set<String> members = new LinkedHashSet<>();
        for (RoomEvent event : timeline.events()) {
            JsonNode pdu = EventBuilder.parse(event.json(), RoomVersions.V1);
            members.add(pdu.path("sender").stringValue(""));
            if (StateSelection.MEMBER.equals(pdu.path("type").stringValue(""))) {
                members.add(pdu.path("state_key").stringValue(""));
            }
        }
        members.removeAll(query.lazyMembersKnown());
        if (!timeline.limited()) {
            members.addAll(query.memberChanges());
        }
        members.removeIf(u -> u.isEmpty() || query.state().matches(StateSelection.MEMBER, u));
        return members;
    }

    private static StateQuery query(StateSelection s) {
        Set<String> types = new HashSet<>(s.types());
        if (s.allMembers() && !s.allTypes()) {
            types.add(StateSelection.MEMBER);
        }
        return new StateQuery(s.allTypes(), s.allTypes() && !s.allMembers(), types, s.anyTypeKeys(),
                s.keys().stream().map(k -> new StateKey(k.type(), k.stateKey())).toList());
    }

    private static List<String> heroes(RoomSlice.Summary summary) {
        return summary == null ? List.of() : summary.heroes();
    }

    private static Map<String, Scoped> byRoom(List<Scoped> readable) {
        Map<String, Scoped> out = new HashMap<>();
        readable.forEach(s -> out.put(s.roomId(), s));
        return out;
    }

    private static Function<String, RoomVersion> versions(Map<String, Scoped> byRoom) {
        return roomId -> byRoom.get(roomId).scope().version();
    }

    /** The end of a room's window: the leave for a room the user left. */
    static long upperBound(SyncMembership membership, long upTo) {
        return membership.isLeave() ? Math.min(upTo, membership.streamOrdering()) : upTo;
    }

    private record Timeline(List<RoomEvent> events, boolean limited, TimelinePosition prevBatch) {

        static final Timeline NONE = new Timeline(List.of(), false, null);
    }
}
