package org.myelin.federation.protocol.auth;

import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.room.RoomVersion;

import tools.jackson.databind.JsonNode;

/**
 * A lenient view of {@code m.room.join_rules}: the join rule as this room version understands it, and the
 * {@code allow} conditions of restricted rooms.
 *
 * @param rule  the join rule; {@link Rule#INVITE} when the room has no join rules event
 * @param allow the allow conditions (v8+), in event order; conditions without a string {@code type} are skipped
 */
public record JoinRules(Rule rule, List<AllowCondition> allow) {

    /** The event type of the join rules event. */
    public static final String TYPE = "m.room.join_rules";

    /** A join rule. {@link #UNKNOWN} stands for any value the room version does not define. */
    public enum Rule { PUBLIC, INVITE, KNOCK, RESTRICTED, KNOCK_RESTRICTED, PRIVATE, UNKNOWN }

    /**
     * One entry of {@code allow}.
     *
     * @param type   e.g. {@code m.room_membership}
     * @param roomId the room whose members may join, or {@code null} when the entry has none
     */
    public record AllowCondition(String type, String roomId) {
    }

    public JoinRules {
        allow = List.copyOf(allow);
    }

    /**
     * Reads the join rules event, or the default when {@code event} is null. A room without one behaves as
     * invite-only, as Synapse and gomatrixserverlib treat it: joins then need an invite.
     */
    public static JoinRules of(AuthEvent event, RoomVersion version) {
        if (event == null) {
            return new JoinRules(Rule.INVITE, List.of());
        }
        JsonNode content = event.content();
        List<AllowCondition> allow = new ArrayList<>();
        if (version.restrictedJoinAllowed()) {
            JsonNode entries = content.path("allow");
            for (JsonNode entry : entries.isArray() ? entries.values() : List.<JsonNode>of()) {
                if (entry.path("type").isString()) {
                    allow.add(new AllowCondition(entry.path("type").stringValue(),
                            entry.path("room_id").stringValue(null)));
                }
            }
        }
        return new JoinRules(parseRule(content.path("join_rule").stringValue(""), version), allow);
    }

    private static Rule parseRule(String value, RoomVersion version) {
        return switch (value) {
            case "public" -> Rule.PUBLIC;
            case "invite" -> Rule.INVITE;
            case "private" -> Rule.PRIVATE;
            case "knock" -> version.knockingAllowed() ? Rule.KNOCK : Rule.UNKNOWN;
            case "restricted" -> version.restrictedJoinAllowed() ? Rule.RESTRICTED : Rule.UNKNOWN;
            case "knock_restricted" -> version.knockRestrictedJoinAllowed() ? Rule.KNOCK_RESTRICTED : Rule.UNKNOWN;
            default -> Rule.UNKNOWN;
        };
    }
}
