package org.myelin.federation.server.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateEntry;
import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.auth.SignedRequest;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.http.QueryParams;
import org.myelin.http.Responses;
import org.myelin.room.graph.MissingEventsException;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The resident server's side of joins, knocks and leaves: {@code make_join} / {@code make_knock} /
 * {@code make_leave} answer a template for a user of the requesting server; {@code send_knock} accepts a knock and
 * answers the room's preview state; {@code send_join} (v2, and v1's older answer shape) checks the signed join like
 * any received PDU, stores it, and answers the room's state before it and the auth chain; {@code send_leave} does
 * the same for a leave (a rejected invite) and answers {@code {}}. In a restricted room the join template names one
 * of this server's members as the authoriser, and send_join countersigns such a join once the joiner is found in
 * an allowed room, answering it back as {@code event}. All are refused when the room's server ACL denies the
 * origin.
 */
final class JoinHandler {

    private static final String AUTHORISER_KEY = "join_authorised_via_users_server";

    private final ServerName self;
    private final RoomStore store;
    private final RoomEventService events;
    private final PduChecks checks;
    private final EventSigning signing;
    private final RoomPreview preview;

    JoinHandler(ServerName self, RoomStore store, RoomEventService events, PduChecks checks, EventSigning signing) {
        this.signing = signing;
        this.preview = new RoomPreview(store);
        this.self = self;
        this.store = store;
        this.events = events;
        this.checks = checks;
    }

    Mono<ServerResponse> makeJoin(ServerRequest request, SignedRequest signed) {
        return make(request, signed, Membership.JOIN);
    }

    Mono<ServerResponse> makeLeave(ServerRequest request, SignedRequest signed) {
        return make(request, signed, Membership.LEAVE);
    }

    Mono<ServerResponse> makeKnock(ServerRequest request, SignedRequest signed) {
        return make(request, signed, Membership.KNOCK);
    }

    /** The knock checked and accepted like a join; the answer is the room's preview for the knocking user. */
    Mono<ServerResponse> sendKnock(ServerRequest request, SignedRequest signed) {
        return accepted(request, signed, Membership.KNOCK).flatMap(knocked -> {
            RoomVersion version = RoomVersions.find(knocked.getT1().roomVersion()).orElseThrow();
            return preview.pdus(knocked.getT1().roomId(), version);
        }).flatMap(state -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("knock_room_state", state);
            return Responses.ok(body);
        });
    }

    private Mono<ServerResponse> make(ServerRequest request, SignedRequest signed, Membership membership) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        UserId user = UserId.parse(request.pathVariable("userId"));
        if (!user.server().equals(signed.origin())) {
            throw MatrixException.forbidden("The user must belong to the requesting server");
        }
        List<String> supported = membership == Membership.LEAVE ? null
                : request.queryParams().getOrDefault("ver", List.of("1"));
        return room(roomId, signed.origin()).flatMap(room -> {
            if (supported != null && !supported.contains(room.roomVersion())) {
                return Mono.error(new MatrixException(ErrCode.M_INCOMPATIBLE_ROOM_VERSION, 400,
                        "The room is version " + room.roomVersion() + ", which the joining server does not support",
                        Map.of("room_version", room.roomVersion())));
            }
            RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
            return events.joins().template(roomId, user, version, membership).flatMap(template -> {
                template.put("origin", signed.origin().value());
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("room_version", version.id());
                body.set("event", template);
                return Responses.ok(body);
            });
        });
    }

    /** With {@code omit_members=true}, the partial-state answer ({@link PartialJoinState}). */
    Mono<ServerResponse> sendJoinV2(ServerRequest request, SignedRequest signed) {
        return sendJoin(request, signed, QueryParams.bool(request, "omit_members")).flatMap(Responses::ok);
    }

    /** v1 answers {@code [200, {...}]}, as the spec's deprecated endpoint still does. */
    Mono<ServerResponse> sendJoinV1(ServerRequest request, SignedRequest signed) {
        return sendJoin(request, signed, false).flatMap(body -> {
            ArrayNode answer = JsonNodeFactory.instance.arrayNode().add(200);
            answer.add(body);
            return Responses.ok(answer);
        });
    }

    Mono<ServerResponse> sendLeaveV2(ServerRequest request, SignedRequest signed) {
        return accepted(request, signed, Membership.LEAVE).then(Responses.ok(JsonNodeFactory.instance.objectNode()));
    }

    /** v1 answers {@code [200, {}]}. */
    Mono<ServerResponse> sendLeaveV1(ServerRequest request, SignedRequest signed) {
        return accepted(request, signed, Membership.LEAVE).then(Mono.defer(() -> {
            ArrayNode answer = JsonNodeFactory.instance.arrayNode().add(200);
            answer.addObject();
            return Responses.ok(answer);
        }));
    }

    /** The state and auth chain; for a restricted join this server authorised, also the join it countersigned. */
    private Mono<ObjectNode> sendJoin(ServerRequest request, SignedRequest signed, boolean omitMembers) {
        return accepted(request, signed, Membership.JOIN).flatMap(joined -> stateAndAuthChain(joined.getT1(),
                joined.getT2(), omitMembers).map(body -> {
                    if (authorisedHere(joined.getT2())) {
                        body.set("event", joined.getT2().json());
                    }
                    return body;
                }));
    }

    /** Whether the join names one of this server's users as {@code join_authorised_via_users_server}. */
    private boolean authorisedHere(Pdu join) {
        String authoriser = join.content().path(AUTHORISER_KEY).stringValue(null);
        try {
            return authoriser != null && UserId.parse(authoriser).server().equals(self);
        } catch (MatrixException e) {
            return false;
        }
    }

    /**
     * A join naming one of this server's users as its authoriser gets this server's signature, once this server
     * has checked the joiner may join that way (the auth rules then check the named user may invite).
     */
    private Mono<Pdu> countersigned(Pdu pdu, RoomVersion version) {
        if (!version.restrictedJoinAllowed() || !authorisedHere(pdu)) {
            return Mono.just(pdu);
        }
        return events.joins().checkAuthorisable(pdu.roomId(), pdu.sender())
                .then(Mono.fromCallable(() -> signing.countersign(pdu, version)));
    }

    /** The signed membership event of the body, checked like any received PDU and accepted into the room. */
    private Mono<Tuple2<RoomRow, Pdu>> accepted(ServerRequest request, SignedRequest signed, Membership membership) {
        RoomId roomId = RoomId.parse(request.pathVariable("roomId"));
        String eventId = request.pathVariable("eventId");
        JsonNode event = signed.body().orElseThrow(() -> MatrixException.badJson("The membership event is missing"));
        return room(roomId, signed.origin()).flatMap(room -> {
            RoomVersion version = RoomVersions.find(room.roomVersion()).orElseThrow();
            Pdu received = Pdu.of(event, version);
            requireMembershipOf(received, membership, roomId, eventId, signed.origin());
            Mono<Pdu> toAccept = membership == Membership.JOIN ? countersigned(received, version)
                    : Mono.just(received);
            return toAccept.flatMap(pdu -> checks.verified(pdu)
                    .flatMap(checked -> events.accept(checked, false))
                    .onErrorMap(MissingEventsException.class, e -> MatrixException.badJson(
                            "The event refers to events this server does not have"))
                    .flatMap(outcome -> outcome == Outcome.ACCEPTED ? Mono.just(Tuples.of(room, pdu))
                            : Mono.error(MatrixException.forbidden("The " + membership.value() + " is not allowed ("
                                    + outcome + ")"))));
        });
    }

    private static void requireMembershipOf(Pdu pdu, Membership membership, RoomId roomId, String eventId,
                                            ServerName origin) {
        boolean matches = "m.room.member".equals(pdu.type()) && pdu.stateKey().isPresent()
                && pdu.stateKey().get().equals(pdu.sender().toString())
                && membership.value().equals(pdu.content().path("membership").stringValue(""));
        if (!matches || !pdu.roomId().equals(roomId) || !pdu.eventId().value().equals(eventId)) {
            throw MatrixException.badJson("The event is not the " + membership.value()
                    + " of its sender in this room under this ID");
        }
        if (!pdu.sender().server().equals(origin)) {
            throw MatrixException.forbidden("The user must belong to the requesting server");
        }
    }

    /**
     * The state before the join and its auth chain with the join's; partially, when the joiner asked to have members
     * omitted: then events sent in {@code state} are left out of {@code auth_chain}, as the spec allows.
     */
    private Mono<ObjectNode> stateAndAuthChain(RoomRow room, Pdu join, boolean omitMembers) {
        String joinId = join.eventId().value();
        CanonicalJson.Mode mode = CanonicalJson.Mode.of(RoomVersions.find(room.roomVersion()).orElseThrow());
        return store.stateGroupsAt().groupsBefore(List.of(joinId))
                .flatMap(groups -> Mono.justOrEmpty(groups.get(joinId)))
                .flatMap(group -> store.stateGroups().load(group))
                .flatMap(state -> store.events().findAll(state.stream().map(StateEntry::eventId).toList()))
                .flatMap(rows -> {
                    List<JsonNode> parsed = rows.stream().map(row -> (JsonNode) CanonicalJson.parse(row.json(), mode))
                            .toList();
                    Map<String, JsonNode> byId = new HashMap<>();
                    for (int i = 0; i < rows.size(); i++) {
                        byId.put(rows.get(i).eventId(), parsed.get(i));
                    }
                    PartialJoinState partial = omitMembers
                            ? PartialJoinState.of(rows, parsed, join.sender().toString()) : null;
                    List<EventRow> sent = partial == null ? rows : partial.kept();
                    Set<String> sentIds = new HashSet<>();
                    sent.forEach(row -> sentIds.add(row.eventId()));
                    List<String> roots = new ArrayList<>(sentIds);
                    roots.add(joinId);
                    return store.events().authChain(roots).flatMap(store.events()::findAll).map(chain -> {
                        ObjectNode body = JsonNodeFactory.instance.objectNode().put("origin", self.value())
                                .put("members_omitted", partial != null);
                        ArrayNode stateArray = body.putArray("state");
                        sent.forEach(row -> stateArray.add(byId.get(row.eventId())));
                        body.set("auth_chain", pdus(partial == null ? chain
                                : chain.stream().filter(row -> !sentIds.contains(row.eventId())).toList(), room));
                        if (partial != null) {
                            partial.serversInRoom().forEach(body.putArray("servers_in_room")::add);
                        }
                        return body;
                    });
                });
    }

    private static ArrayNode pdus(List<EventRow> rows, RoomRow room) {
        CanonicalJson.Mode mode = CanonicalJson.Mode.of(RoomVersions.find(room.roomVersion()).orElseThrow());
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        rows.forEach(row -> array.add(CanonicalJson.parse(row.json(), mode)));
        return array;
    }

    /** The room, if this server is in it (404 otherwise) and its ACL allows {@code origin} (403 otherwise). */
    private Mono<RoomRow> room(RoomId roomId, ServerName origin) {
        return store.rooms().find(roomId.value())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("This server is not in " + roomId)))
                .flatMap(room -> checks.aclAllows(roomId.value(), origin).flatMap(allowed -> allowed
                        ? Mono.just(room)
                        : Mono.error(MatrixException.forbidden("The room's server ACL denies " + origin))));
    }
}
