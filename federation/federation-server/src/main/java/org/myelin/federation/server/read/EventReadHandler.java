package org.myelin.federation.server.read;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.myelin.room.graph.RoomStore;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The read endpoints of the server-server API: {@code GET /event/{eventId}}, {@code GET /state/{roomId}} and
 * {@code /state_ids/{roomId}} (the state before {@code event_id} and its auth chain), {@code POST
 * /get_missing_events/{roomId}}, {@code GET /backfill/{roomId}} and {@code GET /event_auth/{roomId}/{eventId}}, each
 * for a server in the room ({@link ServerReadAccess}) and filtered by history visibility.
 */
final class EventReadHandler {

    /** The most events one backfill or missing-events request gets. */
    static final int MAX_EVENTS = 100;
    private static final int DEFAULT_MISSING = 10;

    private final ServerName self;
    private final RoomStore store;
    private final ServerReadAccess access;
    private final Clock clock;

    EventReadHandler(ServerName self, RoomStore store, ServerReadAccess access, Clock clock) {
        this.self = self;
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    Mono<ServerResponse> event(ServerRequest request, SignedRequest signed) {
        return stored(request.pathVariable("eventId"))
                .flatMap(row -> access.requireInRoom(row.roomId(), signed.origin())
                        .then(access.visible(signed.origin(), List.of(row))))
                .flatMap(rows -> rows.isEmpty() ? Mono.error(MatrixException.notFound("Event not found"))
                        : Responses.ok(transaction(rows)));
    }

    Mono<ServerResponse> state(ServerRequest request, SignedRequest signed) {
        return stateAt(request, signed).flatMap(state -> authChain(state).map(chain -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("pdus", pdus(state));
            body.set("auth_chain", pdus(chain));
            return body;
        })).flatMap(Responses::ok);
    }

    Mono<ServerResponse> stateIds(ServerRequest request, SignedRequest signed) {
        return stateAt(request, signed).flatMap(state -> authChain(state).map(chain -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode pduIds = body.putArray("pdu_ids");
            state.forEach(row -> pduIds.add(row.eventId()));
            ArrayNode chainIds = body.putArray("auth_chain_ids");
            chain.forEach(row -> chainIds.add(row.eventId()));
            return body;
        })).flatMap(Responses::ok);
    }

    Mono<ServerResponse> missingEvents(ServerRequest request, SignedRequest signed) {
        String roomId = request.pathVariable("roomId");
        JsonNode body = signed.body().orElseThrow(() -> MatrixException.badJson("A body is required"));
        List<String> earliest = strings(body.path("earliest_events"));
        List<String> latest = strings(body.path("latest_events"));
        int limit = Math.min(MAX_EVENTS, body.path("limit").isIntegralNumber() ? body.path("limit").asInt()
                : DEFAULT_MISSING);
        long minDepth = body.path("min_depth").isIntegralNumber() ? body.path("min_depth").asLong() : 0;
        return access.requireInRoom(roomId, signed.origin())
                .then(store.events().walkBack(roomId, latest, earliest, minDepth, Math.max(0, limit)))
                .flatMap(rows -> access.visible(signed.origin(), oldestFirst(rows)))
                .flatMap(rows -> {
                    ObjectNode answer = JsonNodeFactory.instance.objectNode();
                    answer.set("events", pdus(rows));
                    return Responses.ok(answer);
                });
    }

    Mono<ServerResponse> backfill(ServerRequest request, SignedRequest signed) {
        String roomId = request.pathVariable("roomId");
        List<String> from = request.queryParams().getOrDefault("v", List.of());
        if (from.isEmpty()) {
            throw MatrixException.missingParam("Missing v");
        }
        int limit = Math.min(MAX_EVENTS, request.queryParam("limit")
                .map(value -> QueryParams.integer(value, "limit")).orElse(10));
        return access.requireInRoom(roomId, signed.origin())
                .then(store.events().findAll(from).zipWith(store.events().walkBack(roomId, from, List.of(), 0,
                        Math.max(0, limit))))
                .map(both -> {
                    List<EventRow> rows = new ArrayList<>(both.getT1().stream()
                            .filter(r -> r.roomId().equals(roomId)).toList());
                    rows.addAll(both.getT2());
                    return rows.subList(0, Math.min(rows.size(), limit));
                })
                .flatMap(rows -> access.visible(signed.origin(), rows))
                .flatMap(rows -> Responses.ok(transaction(rows)));
    }

    Mono<ServerResponse> eventAuth(ServerRequest request, SignedRequest signed) {
        String roomId = request.pathVariable("roomId");
        return access.requireInRoom(roomId, signed.origin())
                .then(stored(request.pathVariable("eventId")))
                .filter(row -> row.roomId().equals(roomId))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")))
                .flatMap(row -> authChain(List.of(row)))
                .flatMap(chain -> {
                    ObjectNode answer = JsonNodeFactory.instance.objectNode();
                    answer.set("auth_chain", pdus(chain));
                    return Responses.ok(answer);
                });
    }

    /** The state before {@code event_id}, which the requesting server must be able to see. */
    private Mono<List<EventRow>> stateAt(ServerRequest request, SignedRequest signed) {
        String roomId = request.pathVariable("roomId");
        String eventId = request.queryParam("event_id").orElseThrow(() -> MatrixException.missingParam(
                "Missing event_id"));
        return access.requireInRoom(roomId, signed.origin())
                .then(stored(eventId))
                .filter(row -> row.roomId().equals(roomId))
                .flatMap(row -> access.visible(signed.origin(), List.of(row)))
                .filter(rows -> !rows.isEmpty())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")))
                .then(store.stateGroupsAt().groupsBefore(List.of(eventId)))
                .flatMap(groups -> Mono.justOrEmpty(groups.get(eventId)))
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("No state is known at that event")))
                .flatMap(group -> store.stateGroups().load(group))
                .flatMap(entries -> store.events().findAll(entries.stream().map(StateEntry::eventId).toList()));
    }

    private Mono<List<EventRow>> authChain(List<EventRow> of) {
        return store.events().authChain(of.stream().map(EventRow::eventId).toList())
                .flatMap(store.events()::findAll);
    }

    private Mono<EventRow> stored(String eventId) {
        return store.events().find(eventId).switchIfEmpty(Mono.error(() -> MatrixException.notFound("Event not found")));
    }

    private ObjectNode transaction(List<EventRow> rows) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("origin", self.value())
                .put("origin_server_ts", clock.millis());
        body.set("pdus", pdus(rows));
        return body;
    }

    private static ArrayNode pdus(List<EventRow> rows) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        rows.forEach(row -> array.add(CanonicalJson.parse(row.json(), CanonicalJson.Mode.LENIENT)));
        return array;
    }

    private static List<EventRow> oldestFirst(List<EventRow> rows) {
        List<EventRow> copy = new ArrayList<>(rows);
        Collections.reverse(copy);
        return copy;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (v.isString()) {
                values.add(v.stringValue());
            }
        });
        return values;
    }
}
