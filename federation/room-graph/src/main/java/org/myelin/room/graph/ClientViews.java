package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.myelin.db.room.EventRepository;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.RedactionRepository;
import org.myelin.db.room.StateAtEventsRepository;
import org.myelin.db.room.StateEntry;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.event.Redactor;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.RoomEvent;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns stored events into what reads return: a redacted event in its redacted form (the room version's
 * algorithm) with {@code unsigned.redacted_because}; a state event with {@code unsigned.replaces_state},
 * {@code prev_content} and {@code prev_sender} of the event it replaced; a v11+ redaction with the top-level
 * {@code redacts} copy clients expect. Costs one query for the redactions and, when the batch has state events,
 * three for the replaced events (the state groups before them, the keys resolved, the events), side by side.
 */
final class ClientViews {

    private static final String REDACTION = "m.room.redaction";
    private static final List<String> NOT_FOR_CLIENTS = List.of("hashes", "signatures", "auth_events",
            "prev_events", "depth", "origin", "prev_state", "membership");

    private final RedactionRepository redactions;
    private final StateAtEventsRepository stateAt;
    private final EventRepository events;
    private final Scheduler cpu;

    ClientViews(RoomStore store, Scheduler cpu) {
        this.redactions = new RedactionRepository(store.db());
        this.stateAt = new StateAtEventsRepository(store.db());
        this.events = store.events();
        this.cpu = cpu;
    }

    /** The events as reads return them, in the same order. */
    Mono<List<RoomEvent>> of(RoomVersion version, List<EventRow> rows) {
        return of(rows, roomId -> version);
    }

    /** The events of several rooms, each room's in its version ({@code versions} by room ID), in the same order. */
    Mono<List<RoomEvent>> of(List<EventRow> rows, Function<String, RoomVersion> versions) {
        if (rows.isEmpty()) {
            return Mono.just(List.of());
        }
        List<String> ids = rows.stream().map(EventRow::eventId).toList();
        return Mono.zip(redactions.redactionsOf(ids), replaced(rows)).publishOn(cpu)
                .map(t -> rows.stream().map(row -> view(versions.apply(row.roomId()), row,
                        t.getT1().get(row.eventId()), t.getT2().get(row.eventId()))).toList());
    }

    /**
     * State events as reads return them but without what they replaced ({@code unsigned.prev_content},
     * {@code replaces_state}, {@code prev_sender}: optional, and three more queries for a whole state): one query.
     */
    Mono<List<RoomEvent>> ofCurrentState(RoomVersion version, List<EventRow> rows) {
        return ofCurrentState(rows, roomId -> version);
    }

    /** {@link #ofCurrentState(RoomVersion, List)} of several rooms, each room's in its version. */
    Mono<List<RoomEvent>> ofCurrentState(List<EventRow> rows, Function<String, RoomVersion> versions) {
        if (rows.isEmpty()) {
            return Mono.just(List.of());
        }
        return redactions.redactionsOf(rows.stream().map(EventRow::eventId).toList()).publishOn(cpu)
                .map(redacted -> rows.stream().map(row -> view(versions.apply(row.roomId()), row,
                        redacted.get(row.eventId()), null)).toList());
    }

    /** One event as reads return it. */
    Mono<RoomEvent> of(RoomVersion version, EventRow row) {
        return of(version, List.of(row)).map(list -> list.get(0));
    }

    /** The client form of a PDU: the federation-only keys removed, event_id and (v11+) top-level redacts added. */
    static ObjectNode clientShape(String eventId, JsonNode pdu) {
        ObjectNode out = ((ObjectNode) pdu).deepCopy();
        out.remove(NOT_FOR_CLIENTS);
        out.put("event_id", eventId);
        addTopLevelRedacts(out, pdu);
        return out;
    }

    /** Copies a v11+ redaction's {@code content.redacts} to the top level, where clients look for it. */
    private static void addTopLevelRedacts(ObjectNode out, JsonNode pdu) {
        JsonNode redacts = pdu.path("content").path("redacts");
        if (REDACTION.equals(pdu.path("type").stringValue(null)) && !out.has("redacts") && redacts.isString()) {
            out.put("redacts", redacts.stringValue());
        }
    }

    private static RoomEvent view(RoomVersion version, EventRow row, EventRow redaction, EventRow replaced) {
        JsonNode pdu = EventBuilder.parse(row.json(), version);
        ObjectNode out = redaction == null ? ((ObjectNode) pdu).deepCopy() : Redactor.redact(pdu, version);
        addTopLevelRedacts(out, pdu);
        ObjectNode unsigned = out.putObject("unsigned");
        if (redaction != null) {
            unsigned.set("redacted_because", clientShape(redaction.eventId(),
                    EventBuilder.parse(redaction.json(), version)));
        }
        if (replaced != null) {
            JsonNode previous = EventBuilder.parse(replaced.json(), version);
            unsigned.put("replaces_state", replaced.eventId());
            unsigned.put("prev_sender", replaced.sender());
            unsigned.set("prev_content", previous.path("content").isObject() ? previous.get("content")
                    : out.objectNode());
        }
        return RoomEvents.of(new EventRow(row.streamOrdering(), row.eventId(), row.roomId(), row.type(),
                row.stateKey(), row.sender(), row.depth(), row.topologicalOrdering(), row.originServerTs(),
                out.toString(), row.txnId(), row.senderDeviceId()));
    }

    /** For each state event of {@code rows}, the state event at its key just before it, if any. */
    private Mono<Map<String, EventRow>> replaced(List<EventRow> rows) {
        List<EventRow> stateRows = rows.stream().filter(r -> r.stateKey() != null).toList();
        if (stateRows.isEmpty()) {
            return Mono.just(Map.of());
        }
        Set<StateKey> keys = new HashSet<>();
        stateRows.forEach(row -> keys.add(new StateKey(row.type(), row.stateKey())));
        return stateAt.groupsBefore(stateRows.stream().map(EventRow::eventId).toList()).flatMap(groups -> stateAt
                .resolve(new HashSet<>(groups.values()), keys).flatMap(entries -> {
                    Map<String, String> replacedId = new HashMap<>();
                    for (EventRow row : stateRows) {
                        Long group = groups.get(row.eventId());
                        if (group == null) {
                            continue;
                        }
                        entries.getOrDefault(group, List.of()).stream()
                                .filter(e -> e.type().equals(row.type()) && e.stateKey().equals(row.stateKey()))
                                .map(StateEntry::eventId).findFirst()
                                .ifPresent(id -> replacedId.put(row.eventId(), id));
                    }
                    return events.findAll(new ArrayList<>(new HashSet<>(replacedId.values()))).map(found -> {
                        Map<String, EventRow> byId = new HashMap<>();
                        found.forEach(r -> byId.put(r.eventId(), r));
                        Map<String, EventRow> result = new HashMap<>();
                        replacedId.forEach((event, previous) -> {
                            if (byId.containsKey(previous)) {
                                result.put(event, byId.get(previous));
                            }
                        });
                        return result;
                    });
                }));
    }
}
