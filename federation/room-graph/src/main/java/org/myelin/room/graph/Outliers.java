package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.NewEvent;
import org.myelin.federation.protocol.event.Pdu;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Storing events as outliers: known (for auth checks, and as the state a server in the room said held at some
 * point) but not part of the timeline, with no state of their own. The events were checked already (signatures,
 * hashes). They are written {@link #BATCH} at a time, a few statements for each batch, as the state of a large room
 * joined over federation has tens of thousands of them.
 */
final class Outliers {

    static final int BATCH = 1000;

    private final RoomStore store;

    Outliers(RoomStore store) {
        this.store = store;
    }

    /** Stores those of {@code events} that are not stored yet, shallowest first; duplicates are stored once. */
    Mono<Void> store(Collection<Pdu> events) {
        Map<String, Pdu> distinct = new LinkedHashMap<>();
        events.forEach(pdu -> distinct.putIfAbsent(pdu.eventId().value(), pdu));
        List<Pdu> ordered = new ArrayList<>(distinct.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth));
        return Flux.fromIterable(batches(ordered)).concatMap(this::storeBatch).then();
    }

    /** {@code all} cut into consecutive runs of at most {@link #BATCH}, for writes of many rows a statement. */
    static <T> List<List<T>> batches(List<T> all) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return batches;
    }

    private Mono<Void> storeBatch(List<Pdu> batch) {
        return store.events().storedAmong(batch.stream().map(p -> p.eventId().value()).toList()).flatMap(stored -> {
            List<BuiltEvent> fresh = batch.stream().filter(p -> !stored.contains(p.eventId().value()))
                    .map(BuiltEvent::of).toList();
            return store.events().nextStreamOrderings(fresh.size()).flatMap(orderings -> {
                List<NewEvent> rows = new ArrayList<>(fresh.size());
                for (int i = 0; i < fresh.size(); i++) {
                    BuiltEvent built = fresh.get(i);
                    EventDraft draft = built.draft();
                    rows.add(new NewEvent(new EventRow(orderings.get(i), built.eventId().value(),
                            built.roomId().value(), draft.type(), draft.stateKey(), draft.sender().toString(),
                            built.depth(), built.depth(), built.originServerTs(), built.canonicalJson(), null, null),
                            built.prevEventIds(), built.authEventIds()));
                }
                return store.events().insertOutliers(rows);
            });
        });
    }
}
