package org.myelin.room.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.StateKey;
import org.myelin.db.sync.SyncRepository;
import org.myelin.federation.protocol.auth.JoinRules;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.protocol.space.RoomSummary;
import org.myelin.federation.protocol.space.SpaceChild;
import org.myelin.federation.protocol.space.SpaceRoom;
import org.myelin.federation.protocol.visibility.HistoryVisibility;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * Summaries of the rooms this server holds, from their current state: the spec's RoomSummary and, for a space, its
 * valid {@code m.space.child} events in order. A summary is given only to a viewer who may preview the room
 * ({@link RoomSummary#previewableBy}): a local user (or nobody, for unauthenticated requests) by their membership and
 * the rooms they are joined to, another server by its users' memberships. Both APIs use it: the client's
 * /hierarchy and /room_summary, and the server-server /hierarchy.
 */
public final class SpaceSummaries {

    private static final String NAME = "m.room.name";
    private static final String TOPIC = "m.room.topic";
    private static final String AVATAR = "m.room.avatar";
    private static final String GUEST_ACCESS = "m.room.guest_access";
    private static final String ENCRYPTION = "m.room.encryption";
    private static final List<StateKey> SUMMARY_STATE = List.of(new StateKey(RoomCreate.TYPE, ""),
            new StateKey(NAME, ""), new StateKey(TOPIC, ""), new StateKey(CanonicalAliases.TYPE, ""),
            new StateKey(AVATAR, ""), new StateKey(JoinRules.TYPE, ""), new StateKey(HistoryVisibility.TYPE, ""),
            new StateKey(GUEST_ACCESS, ""), new StateKey(ENCRYPTION, ""));
    private static final List<String> JOINED = List.of(Membership.JOIN.value());
    private static final List<String> PARTICIPATING = List.of(Membership.JOIN.value(), Membership.INVITE.value());

    /** Who asks: a local user, nobody (unauthenticated), or another server. */
    public sealed interface Viewer {

        /** A local user, or nobody when {@code user} is null. */
        static Viewer user(UserId user) {
            return new LocalUser(user);
        }

        static Viewer server(ServerName server) {
            return new Server(server);
        }
    }

    private record LocalUser(UserId user) implements Viewer {
    }

    private record Server(ServerName server) implements Viewer {
    }

    private final RoomStore store;
    private final SyncRepository counts;
    private final ServerName self;
    private final Scheduler cpu;

    public SpaceSummaries(RoomStore store, ServerName self, Scheduler cpu) {
        this.store = store;
        this.counts = new SyncRepository(store.db());
        this.self = self;
        this.cpu = cpu;
    }

    /** Whether a local user is joined to the room, i.e. this server follows it and its state is current. */
    public Mono<Boolean> isLocal(RoomId roomId) {
        return store.memberships().serverHas(List.of(roomId.value()), self.value(), JOINED);
    }

    /**
     * The room's summary (with its children when it is a space and {@code withChildren}); empty when the room is
     * unknown here or {@code viewer} may not preview it.
     */
    public Mono<SpaceRoom> summarise(RoomId roomId, Viewer viewer, boolean withChildren) {
        return store.rooms().find(roomId.value())
                .flatMap(room -> RoomVersions.find(room.roomVersion()).map(Mono::just).orElseGet(Mono::empty))
                .flatMap(version -> Mono.zip(store.currentState().events(roomId.value(), SUMMARY_STATE),
                        counts.memberCounts(roomId.value()))
                        .publishOn(cpu)
                        .map(t -> summary(roomId, version, t.getT1(), t.getT2()[0])))
                .filterWhen(summary -> mayPreview(summary, viewer))
                .flatMap(summary -> !withChildren || !summary.isSpace() ? Mono.just(new SpaceRoom(summary, List.of()))
                        : store.currentState().eventsOfType(roomId.value(), SpaceChild.TYPE).publishOn(cpu)
                                .map(rows -> new SpaceRoom(summary, SpaceChild.ordered(rows.stream()
                                        .map(row -> EventBuilder.parse(row.json(), RoomVersions.V1)).toList()))));
    }

    /**
     * Whether {@code viewer} may preview a room summarised elsewhere (another server's answer): by its join rules
     * and history, or by what this server knows of the viewer's membership, a pending invite included.
     */
    public Mono<Boolean> mayPreview(RoomSummary summary, Viewer viewer) {
        if (summary.previewableByAnyone()) {
            return Mono.just(true);
        }
        if (viewer instanceof Server asking) {
            ServerName server = asking.server();
            Mono<Boolean> inAllowedRoom = !summary.isRestricted() || summary.allowedRoomIds().isEmpty()
                    ? Mono.just(false)
                    : store.memberships().serverHas(summary.allowedRoomIds(), server.value(), JOINED);
            return Mono.zip(store.memberships().serverHas(List.of(summary.roomId()), server.value(), PARTICIPATING),
                    inAllowedRoom).map(t -> summary.previewableBy(t.getT1() ? Membership.JOIN.value() : null,
                            t.getT2()));
        }
        UserId user = ((LocalUser) viewer).user();
        if (user == null) {
            return Mono.just(false);
        }
        return Mono.zip(membership(summary.roomId(), user), inAllowedRoom(summary, user))
                .map(t -> summary.previewableBy(t.getT1().orElse(null), t.getT2()));
    }

    /** The user's membership in the room: the local one, else {@code invite} for a pending invite of another server. */
    public Mono<Optional<String>> membership(String roomId, UserId user) {
        return store.memberships().find(roomId, user.toString()).map(row -> Optional.of(row.membership()))
                .switchIfEmpty(Mono.defer(() -> store.remoteInvites().find(roomId, user.toString())
                        .map(invite -> invite.map(i -> Membership.INVITE.value()))));
    }

    private Mono<Boolean> inAllowedRoom(RoomSummary summary, UserId user) {
        if (!summary.isRestricted() || summary.allowedRoomIds().isEmpty()) {
            return Mono.just(false);
        }
        return Flux.fromIterable(summary.allowedRoomIds())
                .concatMap(room -> store.memberships().find(room, user.toString()))
                .any(row -> Membership.JOIN.value().equals(row.membership()));
    }

    private static RoomSummary summary(RoomId roomId, RoomVersion version, List<EventRow> state, long joined) {
        Map<String, JsonNode> contents = new HashMap<>();
        Map<String, EventRow> rows = new HashMap<>();
        for (EventRow row : state) {
            rows.put(row.type(), row);
            contents.put(row.type(), EventBuilder.parse(row.json(), version).path("content"));
        }
        EventRow joinRulesRow = rows.get(JoinRules.TYPE);
        JoinRules joinRules = JoinRules.of(joinRulesRow == null ? null
                : new EventView(joinRulesRow.eventId(), EventBuilder.parse(joinRulesRow.json(), version), version),
                version);
        String rule = joinRulesRow == null ? "invite"
                : contents.get(JoinRules.TYPE).path("join_rule").stringValue(null);
        List<String> allowed = new ArrayList<>();
        if (joinRules.rule() == JoinRules.Rule.RESTRICTED || joinRules.rule() == JoinRules.Rule.KNOCK_RESTRICTED) {
            joinRules.allow().stream().filter(a -> "m.room_membership".equals(a.type()) && a.roomId() != null)
                    .forEach(a -> allowed.add(a.roomId()));
        } else if (joinRules.rule() == JoinRules.Rule.UNKNOWN) {
            rule = null;
        }
        String encryption = text(contents, ENCRYPTION, "algorithm");
        return new RoomSummary(roomId.value(), text(contents, NAME, "name"), text(contents, TOPIC, "topic"),
                text(contents, CanonicalAliases.TYPE, "alias"), text(contents, AVATAR, "url"), joined,
                HistoryVisibility.parse(text(contents, HistoryVisibility.TYPE, "history_visibility"))
                        == HistoryVisibility.WORLD_READABLE,
                "can_join".equals(text(contents, GUEST_ACCESS, "guest_access")), rule,
                text(contents, RoomCreate.TYPE, "type"), version.id(),
                RoomSummary.MEGOLM.equals(encryption) ? encryption : null, allowed);
    }

    private static String text(Map<String, JsonNode> contents, String type, String field) {
        JsonNode content = contents.get(type);
        JsonNode value = content == null ? null : content.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
