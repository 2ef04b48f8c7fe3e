package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.myelin.db.room.EventStatus;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.room.RoomVersion;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Storing events as outliers: known (for auth checks, and as the state a server in the room said held at some
 * point) but not part of the timeline, with no state of their own. The events were checked already (signatures,
 * hashes).
 */
final class Outliers {

    private final RoomStore store;
    private final EventWriter writer;

    Outliers(RoomStore store, EventWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /** Stores those of {@code events} that are not stored yet, shallowest first; duplicates are stored once. */
    Mono<Void> store(RoomVersion version, Collection<Pdu> events) {
        Map<String, Pdu> distinct = new LinkedHashMap<>();
        events.forEach(pdu -> distinct.putIfAbsent(pdu.eventId().value(), pdu));
        List<Pdu> ordered = new ArrayList<>(distinct.values());
        ordered.sort(Comparator.comparingLong(Pdu::depth));
        return Flux.fromIterable(ordered)
                .concatMap(pdu -> store.events().status(pdu.eventId().value()).hasElement()
                        .flatMap(known -> known ? Mono.empty() : writer.write(version, BuiltEvent.of(pdu),
                                EventStatus.OUTLIER, null, false, false, null)))
                .then();
    }
}
