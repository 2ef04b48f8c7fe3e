package org.myelin.federation.protocol.push;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * An event as push rules see it, with the facts about its room that conditions read. One instance serves the
 * evaluation for every member of the room, so whatever depends only on the event is worked out once here.
 *
 * @param event              the event in client format (at least type, sender, room_id, content, state_key)
 * @param memberCount        the room's joined members, for {@code room_member_count}
 * @param senderPowerLevel   the sender's power level, for {@code sender_notification_permission}
 * @param notificationLevels the power level event's {@code notifications} object (levels by key)
 * @param loweredBody        {@code content.body} lower-cased by {@link Glob#lower}, or null when it is no string
 */
public record PushEvent(JsonNode event, long memberCount, long senderPowerLevel,
        Map<String, Long> notificationLevels, String loweredBody) {

    /** The level a key of {@code notifications} needs when the power levels do not name it (the spec's 50). */
    public static final long DEFAULT_NOTIFICATION_LEVEL = 50;

    public PushEvent {
        notificationLevels = Map.copyOf(notificationLevels);
    }

    /** The event and its room's facts; its body is lower-cased here once for every member's rules. */
    public PushEvent(JsonNode event, long memberCount, long senderPowerLevel, Map<String, Long> notificationLevels) {
        this(event, memberCount, senderPowerLevel, notificationLevels, lowered(event));
    }

    private static String lowered(JsonNode event) {
        JsonNode body = event.path("content").get("body");
        return body != null && body.isString() ? Glob.lower(body.asString()) : null;
    }

    /** The value at a property path (already split), or null when absent. */
    public JsonNode value(List<String> path) {
        JsonNode node = event;
        for (String segment : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node;
    }

    /** The event's type. */
    public String type() {
        return event.path("type").asString("");
    }

    /** The event's sender. */
    public String sender() {
        return event.path("sender").asString("");
    }

    /** The event's room. */
    public String roomId() {
        return event.path("room_id").asString("");
    }

    /**
     * Whether the event carries intentional mentions ({@code content["m.mentions"]}, v1.7+), which turns the
     * legacy mention rules off for it.
     */
    public boolean hasMentions() {
        return event.path("content").has("m.mentions");
    }

    /** The level {@code key} of {@code notifications} needs. */
    public long notificationLevel(String key) {
        return notificationLevels.getOrDefault(key, DEFAULT_NOTIFICATION_LEVEL);
    }
}
