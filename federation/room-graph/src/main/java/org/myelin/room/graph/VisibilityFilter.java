package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventRepository;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateAtEventsRepository;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.AuthEvent;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.visibility.EventVisibility;
import org.myelin.federation.protocol.visibility.HistoryVisibility;
import org.myelin.federation.protocol.visibility.VisibilityState;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Applies {@link EventVisibility} to a batch of events (of one room, or of several, each with its scope). The rules read two keys of the state before each event:
 * {@code m.room.history_visibility} and the user's {@code m.room.member}. The state after an event (its
 * {@code event_state_groups} row) equals the state before it at those keys unless the event itself sets one of
 * them; for those events the state before them (the resolved state of all their prev events) is read instead. A
 * batch costs four queries whatever its size: the events' state groups (after, and before for those that set a
 * key), both keys of every distinct group in one recursive query, and the few state events those keys name.
 */
final class VisibilityFilter {

    private final StateAtEventsRepository stateAt;
    private final EventRepository events;
    private final Scheduler cpu;

    VisibilityFilter(StateAtEventsRepository stateAt, EventRepository events, Scheduler cpu) {
        this.stateAt = stateAt;
        this.events = events;
        this.cpu = cpu;
    }

    /** One room's events to filter: the reader's scope of the room and its events, in any order. */
    record Batch(ReadScope scope, List<EventRow> rows) {
    }

    /** The events of {@code rows} (one room's, any order) that {@code userId} may see, in the same order. */
    Mono<List<EventRow>> visible(String userId, ReadScope scope, List<EventRow> rows) {
        return visible(userId, List.of(new Batch(scope, rows))).map(lists -> lists.get(0));
    }

    /**
     * For each batch (of several rooms), the events that {@code userId} may see, in the same order; the four
     * queries read for all batches at once.
     */
    Mono<List<List<EventRow>>> visible(String userId, List<Batch> batches) {
        if (batches.stream().allMatch(b -> b.rows().isEmpty())) {
            return Mono.just(batches.stream().map(b -> List.<EventRow>of()).toList());
        }
        return Mono.fromCallable(() -> batches.stream().map(b -> views(b.rows(), b.scope().version())).toList())
                .subscribeOn(cpu).flatMap(views -> {
            List<String> setting = new ArrayList<>();
            List<String> others = new ArrayList<>();
            views.forEach(list -> list.forEach(view -> (changesVisibility(view, userId) ? setting : others)
                    .add(view.eventId())));
            List<StateKey> keys = List.of(new StateKey(HistoryVisibility.TYPE, ""),
                    new StateKey(Membership.TYPE, userId));
            return stateAt.groupsBefore(setting).zipWith(stateAt.groupsOf(others)).flatMap(found -> {
                Map<String, Long> groups = new HashMap<>(found.getT1());
                groups.putAll(found.getT2());
                return stateAt.resolve(new HashSet<>(groups.values()), keys)
                        .flatMap(entries -> events.findAll(entries.values().stream().flatMap(List::stream)
                                .map(StateEntry::eventId).distinct().toList())
                                .publishOn(cpu)
                                .map(stateEvents -> {
                                    Map<String, EventRow> byId = new HashMap<>();
                                    stateEvents.forEach(row -> byId.put(row.eventId(), row));
                                    List<List<EventRow>> out = new ArrayList<>(batches.size());
                                    for (int i = 0; i < batches.size(); i++) {
                                        out.add(decide(userId, batches.get(i), views.get(i), groups, entries, byId));
                                    }
                                    return out;
                                }));
            });
        });
    }

    /** @param groups for each event, the group holding the state the rules read for it */
    private static List<EventRow> decide(String userId, Batch batch, List<EventView> views,
            Map<String, Long> groups, Map<Long, List<StateEntry>> entries, Map<String, EventRow> stateEvents) {
        ReadScope scope = batch.scope();
        Map<String, AuthEvent> parsed = new HashMap<>();
        Map<Long, VisibilityState> states = new HashMap<>();
        List<EventRow> visible = new ArrayList<>();
        for (int i = 0; i < batch.rows().size(); i++) {
            EventRow row = batch.rows().get(i);
            Long group = groups.get(row.eventId());
            VisibilityState state = group == null ? VisibilityState.of(List.of())
                    : states.computeIfAbsent(group, g -> VisibilityState.of(entries.getOrDefault(g, List.of())
                            .stream().map(e -> stateEvents.get(e.eventId())).filter(e -> e != null)
                            .map(e -> parsed.computeIfAbsent(e.eventId(), id -> new EventView(id,
                                    EventBuilder.parse(e.json(), scope.version()), scope.version())))
                            .toList()));
            if (EventVisibility.canSee(userId, views.get(i), state,
                    scope.joinedAfter(RoomReadAccess.position(row)))) {
                visible.add(row);
            }
        }
        return visible;
    }

    private static List<EventView> views(List<EventRow> rows, RoomVersion version) {
        return rows.stream().map(row -> new EventView(row.eventId(), EventBuilder.parse(row.json(), version), version))
                .toList();
    }

    /** Whether the event sets one of the keys the rules read, so that its state after differs from before. */
    private static boolean changesVisibility(AuthEvent event, String userId) {
        return HistoryVisibility.TYPE.equals(event.type()) && "".equals(event.stateKey())
                || Membership.TYPE.equals(event.type()) && userId.equals(event.stateKey());
    }
}
