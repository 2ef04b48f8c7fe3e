package org.myelin.federation.server.transaction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.myelin.db.room.RoomRow;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventIds;
import org.myelin.federation.protocol.event.EventVerification;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.event.PduLimits;
import org.myelin.federation.protocol.event.Redactor;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.room.graph.GuestRooms;
import org.myelin.room.graph.MissingEventsException;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One received PDU through the checks of the server-server API's "Checks performed on receipt of a PDU", numbered
 * as there: 1. format (a room this server is in, its version's format, the size limits), 2. signatures, 3. content
 * hash (a mismatch keeps only the redacted event), then 4–6 (auth events, state before, current state) in the room
 * graph ({@link RoomEventService#accept}). A PDU whose prev events are unknown has the gap filled once from its
 * origin ({@code /get_missing_events}, at most {@link #MAX_MISSING} events, each checked the same way); one whose
 * prev or auth events are still missing then is checked against the state before it as the origin tells it. An
 * accepted state event then has the effects a local client's has ({@link GuestRooms}: guests leave a room closed to
 * them).
 */
final class InboundPdus {

    /** The outcome for one PDU: its event ID (when it has one) and the error, empty when it was handled. */
    record Result(Optional<String> eventId, Optional<String> error) {
    }

    static final int MAX_MISSING = 20;
    private static final Duration GAP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(InboundPdus.class);

    private final RoomStore store;
    private final RoomEventService events;
    private final PduSignatures signatures;
    private final RoomAcls acls;
    private final FederationClient client;
    private final StateFromServer states;
    private final GuestRooms guests;

    InboundPdus(RoomStore store, RoomEventService events, PduSignatures signatures, RoomAcls acls,
                FederationClient client, StateFromServer states, GuestRooms guests) {
        this.store = store;
        this.events = events;
        this.signatures = signatures;
        this.acls = acls;
        this.client = client;
        this.states = states;
        this.guests = guests;
    }

    /** Handles {@code json}, sent by {@code origin}; never fails, the error is in the result. */
    Mono<Result> handle(ServerName origin, JsonNode json) {
        String roomId = json.path("room_id").stringValue(null);
        if (roomId == null) {
            return Mono.just(new Result(Optional.empty(), Optional.of("the PDU has no room_id")));
        }
        return store.rooms().find(roomId)
                .flatMap(room -> acls.allows(roomId, origin).flatMap(allowed -> allowed
                        ? checked(origin, room, json, true)
                        : Mono.just(failure(json, room, "the room's server ACL denies " + origin))))
                .switchIfEmpty(Mono.fromSupplier(() -> failure(json, null, "this server is not in room " + roomId)))
                .onErrorResume(e -> {
                    LOG.warn("A PDU from {} in {} could not be processed", origin, roomId, e);
                    return Mono.just(failure(json, null, "the PDU could not be processed"));
                });
    }

    private Mono<Result> checked(ServerName origin, RoomRow room, JsonNode json, boolean fillGaps) {
        RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
        Pdu pdu;
        // 1. Format: a valid PDU of the room's version, within the size limits.
        try {
            pdu = Pdu.of(json, version);
        } catch (MatrixException e) {
            return Mono.just(failure(json, room, "malformed PDU: " + e.getMessage()));
        }
        Optional<String> tooLarge = PduLimits.violation(pdu.json(), pdu.canonicalBytes().length);
        if (tooLarge.isPresent()) {
            return Mono.just(result(pdu, tooLarge.get()));
        }
        // 2. Signatures, 3. content hash.
        return signatures.verify(pdu).flatMap(verification -> {
            if (!verification.signaturesValid()) {
                return Mono.just(result(pdu, "signature check failed: " + verification.outcome()
                        + verification.server().map(s -> " for " + s).orElse("")));
            }
            Pdu kept = verification.outcome() == EventVerification.Outcome.CONTENT_HASH_MISMATCH
                    ? Pdu.of(Redactor.redact(pdu.json(), version), version) : pdu;
            // 4–6. Auth events, state before, current state.
            return events.accept(kept, false).flatMap(outcome -> afterAccepted(kept, outcome))
                    .thenReturn(result(kept, null))
                    .onErrorResume(MissingEventsException.class, missing -> fillGaps
                            ? fillGap(origin, room, kept).then(Mono.defer(() -> checked(origin, room, json, false)))
                            : atOriginsState(origin, kept, missing));
        });
    }

    /**
     * A PDU whose prev or auth events are still missing after the gap fill: checked against the state before it as
     * its origin tells it ({@code /state}, the state and auth chain stored as outliers), as the spec allows.
     */
    private Mono<Result> atOriginsState(ServerName origin, Pdu pdu, MissingEventsException missing) {
        return states.before(origin, pdu)
                .flatMap(state -> events.acceptAtState(pdu, state.pdus(), state.authChain(), false))
                .flatMap(outcome -> afterAccepted(pdu, outcome))
                .thenReturn(result(pdu, null))
                .onErrorResume(e -> {
                    LOG.info("The state before {} could not be had from {}: {}", pdu.eventId(), origin, e.toString());
                    return Mono.just(result(pdu, "missing " + missing.eventIds().size()
                            + " prior events, which the origin did not provide"));
                });
    }

    /** What an accepted state event sets off, as for a local client's. */
    private Mono<Void> afterAccepted(Pdu pdu, Outcome outcome) {
        if (outcome != Outcome.ACCEPTED || pdu.stateKey().isEmpty()) {
            return Mono.empty();
        }
        return guests.afterStateChange(pdu.roomId(), pdu.type());
    }

    /** Asks the origin for the events between the room's forward extremities and {@code pdu}, oldest first. */
    private Mono<Void> fillGap(ServerName origin, RoomRow room, Pdu pdu) {
        return store.extremities().list(room.roomId()).flatMap(extremities -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("limit", MAX_MISSING)
                    .put("min_depth", Math.max(0, pdu.depth() - MAX_MISSING));
            extremities.forEach(body.putArray("earliest_events")::add);
            body.putArray("latest_events").add(pdu.eventId().value());
            return client.send(origin, "POST", "/_matrix/federation/v1/get_missing_events/"
                    + FederationClient.segment(room.roomId()), body).timeout(GAP_TIMEOUT);
        }).flatMapMany(answer -> {
            List<JsonNode> missing = new ArrayList<>();
            answer.path("events").forEach(missing::add);
            missing.sort(Comparator.comparingLong(e -> e.path("depth").asLong()));
            return Flux.fromIterable(missing.subList(0, Math.min(missing.size(), MAX_MISSING)));
        }).concatMap(event -> checked(origin, room, event, false)).then()
                .onErrorResume(e -> {
                    LOG.info("Could not fill the gap before {} from {}: {}", pdu.eventId(), origin, e.getMessage());
                    return Mono.empty();
                });
    }

    private static Result result(Pdu pdu, String error) {
        return new Result(Optional.of(pdu.eventId().value()), Optional.ofNullable(error));
    }

    /** A failure for a PDU that may not even parse: its event ID if one can be read or computed. */
    private static Result failure(JsonNode json, RoomRow room, String error) {
        Optional<String> eventId = Optional.ofNullable(json.path("event_id").stringValue(null));
        if (eventId.isEmpty() && room != null && json.isObject()) {
            try {
                eventId = Optional.of(EventIds.compute((ObjectNode) json,
                        RoomVersions.find(room.roomVersion()).orElseThrow()).value());
            } catch (MatrixException | IllegalArgumentException e) {
                eventId = Optional.empty();
            }
        }
        return new Result(eventId, Optional.of(error));
    }
}
