package org.myelin.federation.server.membership;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The joining server's side of a join: {@code make_join} to a resident server (trying the {@code via} servers in
 * turn, then the inviter's server of a pending invite, then the room ID's server), the template signed as this
 * server's, {@code send_join} (v2), then every event of the answer (the state before the join and its auth chain)
 * checked like any received PDU before the room is stored
 * ({@link org.myelin.room.graph.FederatedJoins#storeJoinedRoom}). The template of a restricted room names the
 * resident's authorising user; the resident answers the join with its own signature added, which is checked. A
 * resident that refuses is asked no further only when it says the user may not join ({@code 403 M_FORBIDDEN});
 * otherwise the next is tried.
 */
public final class RemoteJoiner implements RemoteJoins {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJoiner.class);
    private static final int VERIFY_CONCURRENCY = 8;

    private final ServerName self;
    private final FederationClient client;
    private final EventSigning signing;
    private final PduChecks checks;
    private final RoomEventService events;
    private final RoomStore store;
    private final Clock clock;

    public RemoteJoiner(ServerName self, FederationClient client, EventSigning signing, PduChecks checks,
                        RoomEventService events, RoomStore store, Clock clock) {
        this.self = self;
        this.store = store;
        this.client = client;
        this.signing = signing;
        this.checks = checks;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Mono<EventId> join(UserId user, RoomId roomId, List<ServerName> via) {
        return store.remoteInvites().find(roomId.value(), user.toString()).flatMap(invite -> {
            Set<ServerName> candidates = new LinkedHashSet<>(via);
            invite.ifPresent(i -> candidates.add(UserId.parse(CanonicalJson.parse(i.eventJson(),
                    CanonicalJson.Mode.LENIENT).path("sender").stringValue("")).server()));
            roomId.server().ifPresent(candidates::add);
            candidates.remove(self);
            return joinThroughAny(user, roomId, candidates)
                    .flatMap(joined -> store.remoteInvites().delete(roomId.value(), user.toString())
                            .thenReturn(joined));
        });
    }

    private Mono<EventId> joinThroughAny(UserId user, RoomId roomId, Set<ServerName> candidates) {
        if (candidates.isEmpty()) {
            return Mono.error(MatrixException.notFound("Unknown room " + roomId
                    + ", and no server to join it through"));
        }
        AtomicReference<Throwable> last = new AtomicReference<>();
        return Flux.fromIterable(candidates)
                .concatMap(resident -> joinThrough(resident, user, roomId).onErrorResume(e -> {
                    last.set(e);
                    LOG.info("Joining {} through {} failed: {}", roomId, resident, e.getMessage());
                    return forbidden(e) ? Mono.error(e) : Mono.empty();
                }))
                .next()
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_NOT_FOUND, 404,
                        "No server in the room could be reached to join " + roomId
                                + (last.get() == null ? "" : ": " + last.get().getMessage()))))
                .onErrorMap(RemoteServerException.class, e -> MatrixException.forbidden(
                        "The resident server refused the join: " + e.getMessage()));
    }

    private static boolean forbidden(Throwable e) {
        return e instanceof RemoteServerException r && r.status() == 403
                || e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN;
    }

    private Mono<EventId> joinThrough(ServerName resident, UserId user, RoomId roomId) {
        StringBuilder path = new StringBuilder("/_matrix/federation/v1/make_join/")
                .append(FederationClient.segment(roomId.value())).append('/')
                .append(FederationClient.segment(user.toString()));
        char separator = '?';
        for (String version : RoomVersions.all().keySet()) {
            path.append(separator).append("ver=").append(FederationClient.segment(version));
            separator = '&';
        }
        return client.get(resident, path.toString()).flatMap(answer -> {
            RoomVersion version = RoomVersions.find(answer.path("room_version").stringValue("1"))
                    .orElseThrow(() -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                            "The resident offered an unknown room version"));
            Pdu join = signedJoin(answer.path("event"), version, user, roomId);
            return client.send(resident, "PUT", "/_matrix/federation/v2/send_join/"
                            + FederationClient.segment(roomId.value()) + "/"
                            + FederationClient.segment(join.eventId().value()), join.json())
                    .flatMap(joined -> finalJoin(join, joined, version).flatMap(signed -> store(version, signed,
                            joined)));
        });
    }

    /**
     * The join as the resident answered it when it authorised a restricted join (the same event, now with the
     * resident's signature too, which is checked), else the join as this server signed it.
     */
    private Mono<Pdu> finalJoin(Pdu join, JsonNode answer, RoomVersion version) {
        if (!answer.path("event").isObject()) {
            return Mono.just(join);
        }
        Pdu countersigned = Pdu.of(answer.get("event"), version);
        if (!countersigned.eventId().equals(join.eventId())) {
            return Mono.error(MatrixException.badJson("The resident answered a different join event"));
        }
        return checks.verified(countersigned);
    }

    private Pdu signedJoin(JsonNode template, RoomVersion version, UserId user, RoomId roomId) {
        if (!(template instanceof ObjectNode proto) || !"m.room.member".equals(proto.path("type").stringValue(""))
                || !user.toString().equals(proto.path("state_key").stringValue(""))
                || !user.toString().equals(proto.path("sender").stringValue(""))
                || !"join".equals(proto.path("content").path("membership").stringValue(""))) {
            throw MatrixException.badJson("The resident's join template is not a join of " + user);
        }
        ObjectNode event = proto.deepCopy();
        event.remove(List.of("signatures", "hashes", "unsigned", "event_id"));
        event.put("origin", self.value()).put("origin_server_ts", clock.millis());
        Pdu join = Pdu.of(signing.sign(event, version).event(), version);
        if (!join.roomId().equals(roomId)) {
            throw MatrixException.badJson("The resident's join template is for another room");
        }
        return join;
    }

    private Mono<EventId> store(RoomVersion version, Pdu join, JsonNode answer) {
        List<JsonNode> state = new ArrayList<>();
        answer.path("state").forEach(state::add);
        List<JsonNode> authChain = new ArrayList<>();
        answer.path("auth_chain").forEach(authChain::add);
        return checkAll(state, version).zipWith(checkAll(authChain, version))
                .flatMap(both -> {
                    if (both.getT1().stream().noneMatch(p -> p.isCreateEvent() && p.roomId().equals(join.roomId()))) {
                        return Mono.error(MatrixException.badJson("The room's state has no m.room.create event"));
                    }
                    return events.joins().storeJoinedRoom(version, join, both.getT1(), both.getT2());
                });
    }

    private Mono<List<Pdu>> checkAll(List<JsonNode> events, RoomVersion version) {
        return Flux.fromIterable(events)
                .flatMapSequential(json -> checks.verified(Pdu.of(json, version)), VERIFY_CONCURRENCY)
                .collectList();
    }
}
