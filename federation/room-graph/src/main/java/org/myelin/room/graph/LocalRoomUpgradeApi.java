package org.myelin.room.graph;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.myelin.db.room.EventRow;
import org.myelin.db.room.RoomDirectoryRepository;
import org.myelin.db.room.RoomRow;
import org.myelin.db.room.StateKey;
import org.myelin.federation.protocol.auth.Membership;
import org.myelin.federation.protocol.auth.PowerLevels;
import org.myelin.federation.protocol.auth.RoomCreate;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.ClientRoomUpgradeApi;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ClientRoomUpgradeApi} over the local room graph, in one transaction that holds the old room's lock
 * throughout (so two upgrades of one room run one after the other): checks the upgrader may send m.room.tombstone,
 * creates the new room with {@code predecessor}, copies the transferable state, the bans and the power levels
 * (the upgrader raised while copying, then restored), moves the local aliases, the canonical alias and the
 * directory listing, sends the tombstone and restricts the old room's power levels.
 */
public final class LocalRoomUpgradeApi implements ClientRoomUpgradeApi {

    /** The state the spec lists as transferable, in the order it is copied (power levels are handled apart). */
    static final List<String> TRANSFERABLE = List.of("m.room.join_rules", "m.room.history_visibility",
            "m.room.guest_access", "m.room.name", "m.room.topic", "m.room.avatar", "m.room.encryption",
            "m.room.server_acl", CanonicalAliases.TYPE);
    private static final String TOMBSTONE = "m.room.tombstone";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RoomEventService events;
    private final RoomStore store;
    private final RoomDirectoryRepository directory;
    private final RoomPowers powers;
    private final ServerName serverName;
    private final SecureRandom random;

    public LocalRoomUpgradeApi(RoomEventService events, RoomStore store, ServerName serverName,
            SecureRandom random) {
        this.events = events;
        this.store = store;
        this.serverName = serverName;
        this.random = random;
        this.directory = new RoomDirectoryRepository(store.db());
        this.powers = new RoomPowers(store);
    }

    @Override
    public Mono<RoomId> upgrade(UserId user, RoomId roomId, RoomVersion version, List<UserId> additionalCreators) {
        return store.db().inTransaction(store.rooms().lock(roomId.value())
                .switchIfEmpty(Mono.error(() -> MatrixException.notFound("Unknown room " + roomId.value())))
                .filterWhen(room -> powers.maySendState(user, room, TOMBSTONE))
                .switchIfEmpty(Mono.error(() -> MatrixException.forbidden("You cannot upgrade this room")))
                .flatMap(room -> earlierReplacement(room, version).switchIfEmpty(Mono.defer(() -> oldRoom(room, user)
                        .flatMap(old -> replace(old, user, version, additionalCreators))))));
    }

    /**
     * The room that already replaced this one, when an upgrade got the lock first: a repeated or concurrent request
     * for the same version gets the same replacement (as Synapse does), one for another version a clear error,
     * rather than a second replacement room.
     */
    private Mono<RoomId> earlierReplacement(RoomRow room, RoomVersion version) {
        return store.currentState().events(room.roomId(), List.of(new StateKey(TOMBSTONE, "")))
                .flatMap(rows -> rows.isEmpty() ? Mono.empty()
                        : Mono.justOrEmpty(EventContent.of(rows.get(0).json()).path("replacement_room")
                                .stringValue(null)))
                .flatMap(replacement -> store.rooms().find(replacement)
                        .filter(next -> next.roomVersion().equals(version.id()))
                        .map(next -> new RoomId(next.roomId()))
                        .switchIfEmpty(Mono.error(() -> new MatrixException(ErrCode.M_BAD_STATE,
                                "This room has already been replaced by " + replacement))));
    }

    private Mono<OldRoom> oldRoom(RoomRow room, UserId user) {
        List<StateKey> keys = new ArrayList<>();
        keys.add(new StateKey(RoomCreate.TYPE, ""));
        keys.add(new StateKey(PowerLevels.TYPE, ""));
        keys.add(new StateKey(Membership.TYPE, user.toString()));
        TRANSFERABLE.forEach(type -> keys.add(new StateKey(type, "")));
        // One query at a time: these run on the transaction's connection.
        return store.currentState().events(room.roomId(), keys).flatMap(state -> store.currentState()
                .eventsOfType(room.roomId(), Membership.TYPE).flatMap(members -> powers.levels(room)
                        .flatMap(levels -> store.extremities().list(room.roomId()).map(last -> new OldRoom(room,
                                state.stream().collect(Collectors.toMap(row -> row.type() + "|" + row.stateKey(),
                                        Function.identity())),
                                members.stream().filter(LocalRoomUpgradeApi::isBan).toList(), levels,
                                last.isEmpty() ? null : last.get(0))))));
    }

    private static boolean isBan(EventRow member) {
        return "ban".equals(EventContent.of(member.json()).path("membership").stringValue(""));
    }

    private Mono<RoomId> replace(OldRoom old, UserId user, RoomVersion version, List<UserId> additionalCreators) {
        Set<String> newCreators = new LinkedHashSet<>();
        newCreators.add(user.toString());
        if (version.privilegedCreators()) {
            additionalCreators.forEach(c -> newCreators.add(c.toString()));
        }
        ObjectNode carried = UpgradePowerLevels.carried(old.levels(), old.content(PowerLevels.TYPE),
                old.creators(), version, newCreators);
        ObjectNode raised = UpgradePowerLevels.raised(carried, user.toString(), version, newCreators);
        RoomId chosenId = version.roomIdFromCreateEvent() ? null : RoomCreation.randomRoomId(serverName, random);
        EventDraft create = EventDraft.state(chosenId, user, RoomCreate.TYPE, "",
                createContent(old, user, version, newCreators));
        // The room ID is null here for versions that derive it from the create event; setUp gets the real one.
        return events.createRoom(create, version, old.room().isPublic(), id -> Flux.concat(
                        append(id, user, Membership.TYPE, user.toString(), joinContent(old, user)),
                        append(id, user, PowerLevels.TYPE, "", raised),
                        Flux.fromIterable(TRANSFERABLE).filter(old::has)
                                .concatMap(type -> append(id, user, type, "", old.content(type))),
                        Flux.fromIterable(old.bans()).concatMap(ban -> append(id, user, Membership.TYPE,
                                ban.stateKey(), EventContent.of(ban.json()))),
                        raised.equals(carried) ? Mono.empty() : append(id, user, PowerLevels.TYPE, "", carried))
                        .then())
                .flatMap(newId -> retire(old, user, newId).thenReturn(newId));
    }

    /** Points the old room at the new one and quietens it. */
    private Mono<Void> retire(OldRoom old, UserId user, RoomId newId) {
        RoomId oldId = new RoomId(old.room().roomId());
        ObjectNode tombstone = JSON.objectNode().put("body", "This room has been replaced")
                .put("replacement_room", newId.value());
        ObjectNode restricted = UpgradePowerLevels.restricted(old.levels(), old.content(PowerLevels.TYPE));
        boolean hadAliases = old.has(CanonicalAliases.TYPE) && !old.content(CanonicalAliases.TYPE).isEmpty();
        return append(oldId, user, TOMBSTONE, "", tombstone)
                .then(restricted == null ? Mono.empty() : allowRefusal(append(oldId, user, PowerLevels.TYPE, "",
                        restricted)))
                .then(hadAliases ? allowRefusal(append(oldId, user, CanonicalAliases.TYPE, "", JSON.objectNode()))
                        : Mono.empty())
                .then(store.aliases().move(oldId.value(), newId.value()))
                .then(old.room().isPublic() ? directory.setPublic(oldId.value(), false) : Mono.empty())
                .then();
    }

    private static ObjectNode createContent(OldRoom old, UserId user, RoomVersion version, Set<String> creators) {
        ObjectNode content = JSON.objectNode().put("room_version", version.id());
        if (!version.implicitRoomCreator()) {
            content.put("creator", user.toString());
        }
        ObjectNode oldCreate = old.content(RoomCreate.TYPE);
        if (oldCreate.path("type").isString()) {
            content.set("type", oldCreate.get("type"));
        }
        if (oldCreate.has("m.federate")) {
            content.set("m.federate", oldCreate.get("m.federate"));
        }
        if (version.privilegedCreators() && creators.size() > 1) {
            var additional = content.putArray("additional_creators");
            creators.stream().skip(1).forEach(additional::add);
        }
        ObjectNode predecessor = content.putObject("predecessor").put("room_id", old.room().roomId());
        if (old.lastEventId() != null) {
            predecessor.put("event_id", old.lastEventId());
        }
        return content;
    }

    /** The upgrader's join: their display name and avatar as they were in the old room. */
    private static ObjectNode joinContent(OldRoom old, UserId user) {
        ObjectNode member = old.content(Membership.TYPE + "|" + user);
        ObjectNode join = JSON.objectNode().put("membership", Membership.JOIN.value());
        for (String field : new String[] {"displayname", "avatar_url"}) {
            if (member.path(field).isString()) {
                join.set(field, member.get(field));
            }
        }
        return join;
    }

    private Mono<Void> append(RoomId roomId, UserId sender, String type, String stateKey, ObjectNode content) {
        return Mono.defer(() -> events.appendInTransaction(EventDraft.state(roomId, sender, type, stateKey, content)))
                .then();
    }

    /** Like Synapse, a refused clean-up event in the old room does not undo the upgrade. */
    private static Mono<Void> allowRefusal(Mono<Void> append) {
        return append.onErrorResume(e -> e instanceof MatrixException m && m.errCode() == ErrCode.M_FORBIDDEN,
                e -> Mono.empty());
    }

    /**
     * What the upgrade reads of the old room, under its lock.
     *
     * @param state       the needed room-wide state and the upgrader's member event, by "type|state_key"
     * @param lastEventId the room's latest event, for {@code predecessor.event_id}
     */
    private record OldRoom(RoomRow room, Map<String, EventRow> state, List<EventRow> bans, PowerLevels levels,
            String lastEventId) {

        boolean has(String type) {
            return state.containsKey(type + "|");
        }

        /** The content of a room-wide state event (or of "type|state_key"), an empty object when absent. */
        ObjectNode content(String typeOrKey) {
            EventRow row = state.get(typeOrKey.contains("|") ? typeOrKey : typeOrKey + "|");
            return row == null ? JSON.objectNode() : EventContent.of(row.json());
        }

        Set<String> creators() {
            RoomVersion version = RoomPowers.version(room);
            EventRow create = state.get(RoomCreate.TYPE + "|");
            return RoomCreate.of(new EventView(create.eventId(), EventBuilder.parse(create.json(), version), version),
                    version).creators();
        }
    }
}
