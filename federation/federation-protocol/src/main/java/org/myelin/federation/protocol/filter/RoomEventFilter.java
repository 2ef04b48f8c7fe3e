package org.myelin.federation.protocol.filter;

import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * The spec's {@code RoomEventFilter}: an {@link EventFilter} plus rooms, {@code contains_url} and the
 * lazy-loading and thread-notification switches (used by /sync, /messages and /context).
 *
 * @param events                    the types, senders and limit
 * @param rooms                     rooms to include; null for all
 * @param notRooms                  rooms to exclude, even when listed in {@code rooms}; never null
 * @param containsUrl               true: only events whose content has a string {@code url}; false: only events
 *                                  without one; null: {@code url} is not considered
 * @param lazyLoadMembers           send only the membership events of the senders of returned events
 * @param includeRedundantMembers   with lazy loading, resend memberships the client was already sent
 * @param unreadThreadNotifications count notifications per thread (/sync only)
 */
public record RoomEventFilter(EventFilter events, List<String> rooms, List<String> notRooms, Boolean containsUrl,
        boolean lazyLoadMembers, boolean includeRedundantMembers, boolean unreadThreadNotifications) {

    /** The filter that lets every room event through. */
    public static final RoomEventFilter ALL = new RoomEventFilter(EventFilter.ALL, null, List.of(), null, false,
            false, false);

    /** Copies the lists; a null {@code events} means {@link EventFilter#ALL}. */
    public RoomEventFilter {
        events = events == null ? EventFilter.ALL : events;
        rooms = rooms == null ? null : List.copyOf(rooms);
        notRooms = notRooms == null ? List.of() : List.copyOf(notRooms);
    }

    /**
     * True when an event passes every part of this filter: type, sender, room and {@code contains_url}.
     *
     * @param content the event's content; null or a non-object counts as having no {@code url}
     */
    public boolean matches(String type, String sender, String roomId, JsonNode content) {
        return events.matches(type, sender) && allowsRoom(roomId) && allowsContent(content);
    }

    /** True when {@code roomId} is not excluded and, if {@code rooms} is present, is one of them. */
    public boolean allowsRoom(String roomId) {
        return Rooms.allows(rooms, notRooms, roomId);
    }

    /** The {@code contains_url} test alone: a string {@code url} in the content (as Synapse checks it). */
    public boolean allowsContent(JsonNode content) {
        if (containsUrl == null) {
            return true;
        }
        boolean hasUrl = content != null && content.isObject() && content.path("url").isString();
        return containsUrl == hasUrl;
    }

    /** The client's limit, or {@code fallback}; never above {@code max}. */
    public int limitOr(int fallback, int max) {
        return events.limitOr(fallback, max);
    }

    /** True when no event can pass, so callers may skip the query. */
    public boolean blocksEverything() {
        return events.blocksEverything() || Rooms.blocksAll(rooms, notRooms);
    }
}
