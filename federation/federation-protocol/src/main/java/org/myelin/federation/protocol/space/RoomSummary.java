package org.myelin.federation.protocol.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The spec's RoomSummary (a PublishedRoomsChunk plus {@code room_type}, {@code allowed_room_ids},
 * {@code encryption} and {@code room_version}), as /hierarchy, /room_summary and the server-server /hierarchy
 * answer with. Optional fields are null when the room has no such state.
 *
 * @param joinRule       the join rule as a string; {@code invite} when the room has no join rules event
 * @param encryption     the {@code m.room.encryption} algorithm when it is the one the schema names, else null
 * @param allowedRoomIds the rooms named by the join rules of a restricted room; empty otherwise
 */
public record RoomSummary(String roomId, String name, String topic, String canonicalAlias, String avatarUrl,
        long numJoinedMembers, boolean worldReadable, boolean guestCanJoin, String joinRule, String roomType,
        String roomVersion, String encryption, List<String> allowedRoomIds) {

    /** The one algorithm the schema's {@code encryption} enumerates. */
    public static final String MEGOLM = "m.megolm.v1.aes-sha2";
    /** The room type of a space. */
    public static final String SPACE = "m.space";

    private static final Set<String> OPEN_RULES = Set.of("public", "knock", "knock_restricted");
    private static final Set<String> RESTRICTED_RULES = Set.of("restricted", "knock_restricted");

    public RoomSummary {
        allowedRoomIds = List.copyOf(allowedRoomIds);
    }

    /** Whether the room is a space ({@code m.space} room type). */
    public boolean isSpace() {
        return SPACE.equals(roomType);
    }

    /** Whether joining may be allowed through membership of other rooms (restricted or knock_restricted). */
    public boolean isRestricted() {
        return RESTRICTED_RULES.contains(joinRule);
    }

    /**
     * Whether someone may see this room in a space hierarchy or a room summary (the spec's list for /hierarchy):
     * they are joined or invited, anyone may join or knock, the history is world-readable, or the room is restricted
     * and they are in one of its allowed rooms.
     *
     * @param membership     their membership, or null when they have none (or are no user at all)
     * @param inAllowedRoom  whether they are joined to one of {@link #allowedRoomIds}
     */
    public boolean previewableBy(String membership, boolean inAllowedRoom) {
        return "join".equals(membership) || "invite".equals(membership) || OPEN_RULES.contains(joinRule)
                || worldReadable || isRestricted() && inAllowedRoom;
    }

    /** Whether anyone at all, unauthenticated too, may see the room (public or knockable, or world-readable). */
    public boolean previewableByAnyone() {
        return previewableBy(null, false);
    }

    /**
     * The JSON object, with {@code allowed_room_ids} for a restricted room (servers filter their users' views by it;
     * the client schemas list it since v1.15, where Synapse leaves it out for clients).
     */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("room_id", roomId);
        putIfPresent(out, "name", name);
        putIfPresent(out, "topic", topic);
        putIfPresent(out, "canonical_alias", canonicalAlias);
        putIfPresent(out, "avatar_url", avatarUrl);
        out.put("num_joined_members", numJoinedMembers);
        out.put("world_readable", worldReadable);
        out.put("guest_can_join", guestCanJoin);
        putIfPresent(out, "join_rule", joinRule);
        putIfPresent(out, "room_type", roomType);
        putIfPresent(out, "room_version", roomVersion);
        putIfPresent(out, "encryption", encryption);
        if (!allowedRoomIds.isEmpty()) {
            allowedRoomIds.forEach(out.putArray("allowed_room_ids")::add);
        }
        return out;
    }

    /**
     * Reads another server's summary; empty unless {@code room_id} is a string and {@code num_joined_members} a
     * non-negative integer. Fields of the wrong type are left out, {@code world_readable} and
     * {@code guest_can_join} are false unless true, and a missing {@code join_rule} is {@code public}, as the
     * schema defines it.
     */
    public static Optional<RoomSummary> fromJson(JsonNode json) {
        if (json == null || !json.path("room_id").isString() || !json.path("num_joined_members").isIntegralNumber()
                || json.path("num_joined_members").asLong() < 0) {
            return Optional.empty();
        }
        List<String> allowed = new ArrayList<>();
        json.path("allowed_room_ids").forEach(id -> {
            if (id.isString()) {
                allowed.add(id.stringValue());
            }
        });
        String encryption = MEGOLM.equals(text(json, "encryption")) ? MEGOLM : null;
        String joinRule = text(json, "join_rule");
        return Optional.of(new RoomSummary(json.path("room_id").stringValue(), text(json, "name"),
                text(json, "topic"), text(json, "canonical_alias"), text(json, "avatar_url"),
                json.path("num_joined_members").asLong(), json.path("world_readable").asBoolean(false),
                json.path("guest_can_join").asBoolean(false), joinRule == null ? "public" : joinRule,
                text(json, "room_type"), text(json, "room_version"), encryption, allowed));
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static void putIfPresent(ObjectNode out, String field, String value) {
        if (value != null) {
            out.put(field, value);
        }
    }
}
