package org.myelin.federation.server.membership;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

import org.myelin.federation.protocol.auth.EventAcceptance.Outcome;
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
import org.myelin.http.outbound.OutboundException;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.graph.MissingEventsException;
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
    private final OutsideMemberships outside;

    public RemoteJoiner(ServerName self, FederationClient client, EventSigning signing, PduChecks checks,
                        RoomEventService events, RoomStore store, Clock clock) {
        this.self = self;
        this.store = store;
        this.client = client;
        this.signing = signing;
        this.checks = checks;
        this.events = events;
        this.clock = clock;
        this.outside = new OutsideMemberships(store);
    }

    @Override
    public Mono<EventId> join(UserId user, RoomId roomId, List<ServerName> via) {
        return store.remoteInvites().find(roomId.value(), user.toString()).flatMap(invite -> {
            Set<ServerName> candidates = new LinkedHashSet<>(via);
            invite.ifPresent(i -> candidates.add(UserId.parse(CanonicalJson.parse(i.eventJson(),
                    CanonicalJson.Mode.LENIENT).path("sender").stringValue("")).server()));
            roomId.server().ifPresent(candidates::add);
            candidates.remove(self);
            return throughAny("join", roomId, candidates, resident -> joinThrough(resident, user, roomId,
                    this::store))
                    .flatMap(joined -> store.remoteInvites().delete(roomId.value(), user.toString())
                            .thenReturn(joined));
        });
    }

    /**
     * A restricted join this server cannot authorise in a room it holds: made through another server in the room
     * ({@code via} first, then those of the joined members, most members first), whose member authorises and
     * countersigns it; the join is then accepted here as any PDU (or arrives in that server's next transaction,
     * when it refers to events this server has not received yet).
     */
    @Override
    public Mono<EventId> joinAuthorisedElsewhere(UserId user, RoomId roomId, List<ServerName> via) {
        return store.memberships().joinedServers(roomId.value()).flatMap(servers -> {
            Set<ServerName> candidates = new LinkedHashSet<>(via);
            servers.forEach(server -> candidates.add(ServerName.parse(server)));
            candidates.remove(self);
            if (candidates.isEmpty()) {
                return Mono.empty();
            }
            return throughAny("join", roomId, candidates, resident -> joinThrough(resident, user, roomId,
                    (version, signed, answer) -> events.accept(signed, false)
                            .flatMap(outcome -> outcome == Outcome.ACCEPTED ? Mono.just(signed.eventId())
                                    : Mono.error(MatrixException.forbidden("The join is not allowed (" + outcome
                                            + ")")))
                            .onErrorResume(MissingEventsException.class, e -> Mono.just(signed.eventId()))));
        });
    }

    /**
     * The knocking server's side of a knock: {@code make_knock} to the {@code via} servers (then the room ID's) in
     * turn, the template signed as this server's, {@code send_knock}, and the knock kept with the room's preview
     * state (as an invite to a room this server is not in is), so /sync lists the room under {@code knock}.
     */
    @Override
    public Mono<EventId> knock(UserId user, RoomId roomId, List<ServerName> via, String reason) {
        Set<ServerName> candidates = new LinkedHashSet<>(via);
        roomId.server().ifPresent(candidates::add);
        candidates.remove(self);
        return throughAny("knock", roomId, candidates, resident -> knockThrough(resident, user, roomId, reason));
    }

    private Mono<EventId> throughAny(String action, RoomId roomId, Set<ServerName> candidates,
                                     Function<ServerName, Mono<EventId>> attempt) {
        if (candidates.isEmpty()) {
            return Mono.error(MatrixException.notFound("Unknown room " + roomId
                    + ", and no server to " + action + " it through"));
        }
        AtomicReference<Throwable> last = new AtomicReference<>();
        return Flux.fromIterable(candidates)
                .concatMap(resident -> attempt.apply(resident).onErrorResume(e -> {
                    last.set(e);
                    LOG.info("A {} of {} through {} failed: {}", action, roomId, resident, e.getMessage());
                    return forbidden(e) || !remoteFailure(e) ? Mono.error(e) : Mono.empty();
                }))
                .next()
                .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_NOT_FOUND, 404,
                        "No server in the room could be reached to " + action + " " + roomId
                                + (last.get() == null ? "" : ": " + last.get().getMessage()))))
                .onErrorMap(RemoteServerException.class, e -> MatrixException.forbidden(
                        "The resident server refused the " + action + ": " + e.getMessage()));
    }

    private Mono<EventId> knockThrough(ServerName resident, UserId user, RoomId roomId, String reason) {
        String path = "/_matrix/federation/v1/make_knock/" + FederationClient.segment(roomId.value()) + "/"
                + FederationClient.segment(user.toString()) + versions(RoomVersion::knockingAllowed);
        return client.get(resident, path).flatMap(answer -> {
            RoomVersion version = offered(answer);
            ObjectNode template = checkedTemplate(answer.path("event"), user, "knock");
            if (reason != null) {
                ((ObjectNode) template.get("content")).put("reason", reason);
            }
            Pdu knock = signed(template, version, roomId);
            return client.send(resident, "PUT", "/_matrix/federation/v1/send_knock/"
                            + FederationClient.segment(roomId.value()) + "/"
                            + FederationClient.segment(knock.eventId().value()), knock.json())
                    .flatMap(knocked -> outside.keep(knock, version,
                            RoomPreview.stripped(knocked.path("knock_room_state")), "knock"))
                    .thenReturn(knock.eventId());
        });
    }

    /** {@code ?ver=...} for every room version this server supports that {@code which} accepts. */
    private static String versions(Predicate<RoomVersion> which) {
        StringBuilder query = new StringBuilder();
        for (RoomVersion version : RoomVersions.all().values()) {
            if (which.test(version)) {
                query.append(query.isEmpty() ? '?' : '&').append("ver=")
                        .append(FederationClient.segment(version.id()));
            }
        }
        return query.toString();
    }

    private static RoomVersion offered(JsonNode answer) {
        return RoomVersions.find(answer.path("room_version").stringValue("1"))
                .orElseThrow(() -> new MatrixException(ErrCode.M_UNSUPPORTED_ROOM_VERSION,
                        "The resident offered an unknown room version"));
    }

    /**
     * Whether the attempt failed because of the resident server (it could not be reached or resolved, timed out,
     * refused, or gave an answer that does not hold up), so the next one may do better; a failure of this server's
     * own (its database, say) ends the attempts and is reported as what it is.
     */
    private static boolean remoteFailure(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RemoteServerException || e instanceof MatrixException || e instanceof IOException
                    || e instanceof TimeoutException || e instanceof OutboundException
                    || e instanceof MissingEventsException) {
                return true;
            }
        }
        return false;
    }

    private static boolean forbidden(Throwable e) {
        return e instanceof RemoteServerException r && r.status() == 403
                || e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN;
    }

    /** What to do with a join the resident accepted: the join as finally signed, and the resident's answer. */
    @FunctionalInterface
    private interface JoinFinish {
        Mono<EventId> apply(RoomVersion version, Pdu join, JsonNode answer);
    }

    private Mono<EventId> joinThrough(ServerName resident, UserId user, RoomId roomId, JoinFinish finish) {
        String path = "/_matrix/federation/v1/make_join/" + FederationClient.segment(roomId.value()) + "/"
                + FederationClient.segment(user.toString()) + versions(version -> true);
        return client.get(resident, path).flatMap(answer -> {
            RoomVersion version = offered(answer);
            Pdu join = signed(checkedTemplate(answer.path("event"), user, "join"), version, roomId);
            return client.send(resident, "PUT", "/_matrix/federation/v2/send_join/"
                            + FederationClient.segment(roomId.value()) + "/"
                            + FederationClient.segment(join.eventId().value()), join.json())
                    .flatMap(joined -> finalJoin(join, joined, version).flatMap(signed -> finish.apply(version,
                            signed, joined)));
        });
    }

    /** The resident's template, if it is a {@code membership} of {@code user} by themself. */
    private static ObjectNode checkedTemplate(JsonNode template, UserId user, String membership) {
        if (!(template instanceof ObjectNode proto) || !"m.room.member".equals(proto.path("type").stringValue(""))
                || !user.toString().equals(proto.path("state_key").stringValue(""))
                || !user.toString().equals(proto.path("sender").stringValue(""))
                || !membership.equals(proto.path("content").path("membership").stringValue(""))
                || !proto.path("content").isObject()) {
            throw MatrixException.badJson("The resident's template is not a " + membership + " of " + user);
        }
        return proto.deepCopy();
    }

    private Pdu signed(ObjectNode event, RoomVersion version, RoomId roomId) {
        event.remove(List.of("signatures", "hashes", "unsigned", "event_id"));
        event.put("origin", self.value()).put("origin_server_ts", clock.millis());
        Pdu pdu = Pdu.of(signing.sign(event, version).event(), version);
        if (!pdu.roomId().equals(roomId)) {
            throw MatrixException.badJson("The resident's template is for another room");
        }
        return pdu;
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

    private Mono<EventId> store(RoomVersion version, Pdu join, JsonNode answer) {
        List<JsonNode> state = new ArrayList<>();
        answer.path("state").forEach(state::add);
        List<JsonNode> authChain = new ArrayList<>();
        answer.path("auth_chain").forEach(authChain::add);
        List<JsonNode> all = new ArrayList<>(state);
        all.addAll(authChain);
        long started = clock.millis();
        AtomicLong prefetched = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        return checks.prefetchKeys(all, version)
                .then(Mono.fromRunnable(() -> prefetched.set(clock.millis())))
                .then(checkAll(state, version).zipWith(checkAll(authChain, version)))
                .flatMap(both -> {
                    if (both.getT1().stream().noneMatch(p -> p.isCreateEvent() && p.roomId().equals(join.roomId()))) {
                        return Mono.error(MatrixException.badJson("The room's state has no m.room.create event"));
                    }
                    checked.set(clock.millis());
                    return events.joins().storeJoinedRoom(version, join, both.getT1(), both.getT2());
                })
                .doOnNext(joined -> LOG.info("Joined {}: {} state and {} auth chain events; keys fetched in {} ms,"
                        + " events checked in {} ms, stored in {} ms", join.roomId(), state.size(), authChain.size(),
                        prefetched.get() - started, checked.get() - prefetched.get(), clock.millis() - checked.get()));
    }

    private Mono<List<Pdu>> checkAll(List<JsonNode> events, RoomVersion version) {
        return Flux.fromIterable(events)
                .flatMapSequential(json -> checks.verified(json, version), VERIFY_CONCURRENCY)
                .collectList();
    }
}
