package org.myelin.room.graph;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventStatus;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.RoomEvent;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Stores a checked event, local or remote, inside the caller's transaction (which holds the room lock): the event
 * with its status and edges; the state groups before and after it (a rejected event changes nothing, so its state
 * after is its state before); and only for an accepted event in the live timeline,
 * the redaction it makes, the forward extremities and the current state. Backfilled events are ordered below zero
 * and leave extremities and current state alone. Outliers are written by {@link Outliers}, in batches.
 */
final class EventWriter {

    private final RoomStore store;
    private final StateGroupWriter stateGroups;
    private final CurrentStateUpdater currentState;
    private final Redactions redactions;

    EventWriter(RoomStore store, StateGroupWriter stateGroups, CurrentStateUpdater currentState,
            Redactions redactions) {
        this.store = store;
        this.stateGroups = stateGroups;
        this.currentState = currentState;
        this.redactions = redactions;
    }

    /**
     * @param status      accepted, rejected or soft-failed
     * @param groupBefore the state before the event; null for a create event
     * @param newKey      whether a state event's (type, state_key) is absent from the state before it
     * @param resolved    the current state resolved before the room lock for the event's acceptance, or null
     */
    Mono<RoomEvent> write(RoomVersion version, BuiltEvent built, EventStatus status, Long groupBefore,
            boolean newKey, boolean backfilled, ResolvedCurrentState resolved) {
        EventDraft draft = built.draft();
        String roomId = built.roomId().value();
        String eventId = built.eventId().value();
        Mono<Long> ordering = backfilled ? store.events().nextBackfillOrdering() : store.events().nextStreamOrdering();
        return ordering.flatMap(stream -> {
            EventRow row = new EventRow(stream, eventId, roomId, draft.type(), draft.stateKey(),
                    draft.sender().toString(), built.depth(), built.depth(), built.originServerTs(),
                    built.canonicalJson(), draft.txnId(), draft.deviceId());
            Mono<Void> insert = store.events().insert(row, built.prevEventIds(), built.authEventIds(), status);
            Mono<Long> after = status.rejectedReason() != null ? Mono.justOrEmpty(groupBefore)
                    : groupAfter(built, groupBefore, newKey);
            return insert.then(after)
                    .flatMap(group -> store.stateGroups().mapEvent(eventId, group, groupBefore)
                            .then(status.accepted() ? live(version, built, row, group, backfilled, resolved)
                                    : Mono.empty()))
                    .then(recordTransaction(built))
                    .thenReturn(RoomEvents.of(row));
        });
    }

    private Mono<Void> live(RoomVersion version, BuiltEvent built, EventRow row, long groupAfter,
            boolean backfilled, ResolvedCurrentState resolved) {
        Mono<Void> redaction = redactions.apply(built);
        if (backfilled) {
            return redaction;
        }
        return redaction.then(store.extremities().advance(row.roomId(), built.prevEventIds(), row.eventId()))
                .flatMap(extremities -> currentState.afterAccepted(version, row, groupAfter, extremities, resolved));
    }

    private Mono<Long> groupAfter(BuiltEvent built, Long groupBefore, boolean newKey) {
        EventDraft draft = built.draft();
        if (!draft.isState()) {
            return groupBefore == null ? Mono.error(new IllegalStateException("No state before " + built.eventId()))
                    : Mono.just(groupBefore);
        }
        return stateGroups.write(built.roomId().value(), groupBefore,
                new StateEntry(draft.type(), draft.stateKey(), built.eventId().value()), newKey);
    }

    private Mono<Void> recordTransaction(BuiltEvent built) {
        EventDraft draft = built.draft();
        if (draft.txnId() == null || draft.deviceId() == null) {
            return Mono.empty();
        }
        String response = JsonNodeFactory.instance.objectNode().put("event_id", built.eventId().value()).toString();
        return store.transactions().insert(draft.sender().toString(), draft.deviceId(), draft.txnPath(),
                draft.txnId(), response, built.originServerTs()).then();
    }
}
