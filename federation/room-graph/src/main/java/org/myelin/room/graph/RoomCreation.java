package org.myelin.room.graph;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.room.api.CreateRoomRequest;
import org.myelin.room.api.RoomPreset;
import org.myelin.room.api.StateContent;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * POST /createRoom as room events, in the order the spec gives: create, the creator's join, power levels, the
 * canonical alias, the preset's join rules / history visibility / guest access, initial_state, name, topic, and
 * the invites. Everything runs in the create transaction, so a rejected event leaves no half-made room.
 */
final class RoomCreation {

    private static final char[] OPAQUE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RoomEventService events;
    private final RoomStore store;
    private final ServerName serverName;
    private final SecureRandom random;

    RoomCreation(RoomEventService events, RoomStore store, ServerName serverName, SecureRandom random) {
        this.events = events;
        this.store = store;
        this.serverName = serverName;
        this.random = random;
    }

    /**
     * Creates the room.
     *
     * @param creatorJoin the content of the creator's join event (membership plus profile fields)
     * @param invitees    the content of each invite event is {@code {"membership":"invite"}} plus is_direct
     */
    Mono<RoomId> create(UserId creator, CreateRoomRequest request, ObjectNode creatorJoin) {
        RoomVersion version = request.version();
        RoomId roomId = version.roomIdFromCreateEvent() ? null : randomRoomId(serverName, random);
        EventDraft create = EventDraft.state(roomId, creator, "m.room.create", "", createContent(creator, request));
        return events.createRoom(create, version, request.publish(), id -> Flux
                .fromIterable(afterCreate(id, creator, request, creatorJoin))
                .concatMap(step -> step)
                .then());
    }

    private List<Mono<?>> afterCreate(RoomId roomId, UserId creator, CreateRoomRequest request,
            ObjectNode creatorJoin) {
        List<Mono<?>> steps = new ArrayList<>();
        steps.add(append(roomId, creator, "m.room.member", creator.toString(), creatorJoin));
        steps.add(append(roomId, creator, "m.room.power_levels", "", powerLevels(creator, request)));
        if (request.aliasLocalpart() != null) {
            String alias = "#" + request.aliasLocalpart() + ":" + serverName.value();
            steps.add(store.aliases().create(alias, roomId.value(), creator.toString()).flatMap(created -> created
                    ? append(roomId, creator, "m.room.canonical_alias", "", JSON.objectNode().put("alias", alias))
                    : Mono.error(new MatrixException(ErrCode.M_ROOM_IN_USE, "Room alias already taken"))));
        }
        Set<String> initialTypes = new HashSet<>();
        request.initialState().stream().filter(s -> s.stateKey().isEmpty()).forEach(s -> initialTypes.add(s.type()));
        RoomPreset preset = request.preset();
        presetEvent(steps, initialTypes, roomId, creator, "m.room.join_rules", "join_rule", preset.joinRule());
        presetEvent(steps, initialTypes, roomId, creator, "m.room.history_visibility", "history_visibility",
                preset.historyVisibility());
        presetEvent(steps, initialTypes, roomId, creator, "m.room.guest_access", "guest_access",
                preset.guestAccess());
        for (StateContent state : request.initialState()) {
            steps.add(append(roomId, creator, state.type(), state.stateKey(), state.content()));
        }
        if (request.name() != null) {
            steps.add(append(roomId, creator, "m.room.name", "", JSON.objectNode().put("name", request.name())));
        }
        if (request.topic() != null) {
            ObjectNode topic = JSON.objectNode().put("topic", request.topic());
            topic.putObject("m.topic").putArray("m.text").addObject().put("body", request.topic());
            steps.add(append(roomId, creator, "m.room.topic", "", topic));
        }
        for (UserId invitee : request.invites()) {
            ObjectNode invite = JSON.objectNode().put("membership", "invite");
            if (request.isDirect()) {
                invite.put("is_direct", true);
            }
            steps.add(append(roomId, creator, "m.room.member", invitee.toString(), invite));
        }
        return steps;
    }

    private void presetEvent(List<Mono<?>> steps, Set<String> overridden, RoomId roomId, UserId creator,
            String type, String field, String value) {
        if (!overridden.contains(type)) {
            steps.add(append(roomId, creator, type, "", JSON.objectNode().put(field, value)));
        }
    }

    private Mono<?> append(RoomId roomId, UserId sender, String type, String stateKey, ObjectNode content) {
        return Mono.defer(() -> events.appendInTransaction(EventDraft.state(roomId, sender, type, stateKey, content)));
    }

    private static ObjectNode createContent(UserId creator, CreateRoomRequest request) {
        RoomVersion version = request.version();
        ObjectNode content = request.creationContent() == null ? JSON.objectNode()
                : request.creationContent().deepCopy();
        content.put("room_version", version.id());
        if (!version.implicitRoomCreator()) {
            content.put("creator", creator.toString());
        }
        if (version.privilegedCreators() && request.preset() == RoomPreset.TRUSTED_PRIVATE_CHAT
                && !request.invites().isEmpty()) {
            var additional = content.has("additional_creators") && content.get("additional_creators").isArray()
                    ? (ArrayNode) content.get("additional_creators")
                    : content.putArray("additional_creators");
            request.invites().forEach(u -> additional.add(u.toString()));
        }
        return content;
    }

    /** The default power levels for the room's version and preset, with the request's override on top. */
    private static ObjectNode powerLevels(UserId creator, CreateRoomRequest request) {
        RoomVersion version = request.version();
        ObjectNode levels = JSON.objectNode();
        ObjectNode users = levels.putObject("users");
        if (!version.privilegedCreators()) {
            users.put(creator.toString(), 100);
            if (request.preset() == RoomPreset.TRUSTED_PRIVATE_CHAT) {
                request.invites().forEach(u -> users.put(u.toString(), 100));
            }
        }
        levels.put("users_default", 0);
        ObjectNode events = levels.putObject("events");
        events.put("m.room.name", 50).put("m.room.power_levels", 100).put("m.room.history_visibility", 100)
                .put("m.room.canonical_alias", 50).put("m.room.avatar", 50).put("m.room.server_acl", 100)
                .put("m.room.encryption", 100).put("m.room.tombstone", version.privilegedCreators() ? 150 : 100);
        levels.put("events_default", 0).put("state_default", 50).put("ban", 50).put("kick", 50).put("redact", 50)
                .put("invite", request.preset() == RoomPreset.PUBLIC_CHAT ? 50 : 0);
        levels.putObject("notifications").put("room", 50);
        if (request.powerLevelContentOverride() != null) {
            request.powerLevelContentOverride().properties().forEach(e -> levels.set(e.getKey(), e.getValue()));
        }
        return levels;
    }

    /** A fresh {@code !opaque:server} room ID, for room versions whose room ID is not derived from the create event. */
    static RoomId randomRoomId(ServerName serverName, SecureRandom random) {
        StringBuilder id = new StringBuilder("!");
        for (int i = 0; i < 18; i++) {
            id.append(OPAQUE[random.nextInt(OPAQUE.length)]);
        }
        return RoomId.parse(id.append(':').append(serverName.value()).toString());
    }
}
