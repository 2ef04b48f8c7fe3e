package org.myelin.clientapi.slidingsync;

import java.util.List;
import java.util.Map;

/**
 * One sliding sync request body (MSC4186 as Synapse serves it under {@code org.matrix.simplified_msc3575}).
 *
 * @param connId        the connection's name ("" when absent)
 * @param lists         the sliding windows, by list name
 * @param subscriptions the rooms the client follows whatever the lists, with their config
 * @param extensions    the extensions asked for
 */
public record SlidingSyncRequest(String connId, Map<String, ListRequest> lists, Map<String, RoomConfig> subscriptions,
        Extensions extensions) {

    public SlidingSyncRequest {
        lists = Map.copyOf(lists);
        subscriptions = Map.copyOf(subscriptions);
    }

    /** Whether the request asks for any room at all (otherwise nothing of the connection needs keeping). */
    boolean hasRooms() {
        return !lists.isEmpty() || !subscriptions.isEmpty();
    }

    /**
     * What to return of each room a rule matches.
     *
     * @param timelineLimit the most timeline events
     * @param requiredState the state to return
     */
    public record RoomConfig(int timelineLimit, RequiredState requiredState) {

        /** The superset of two configs: the larger limit, the union of the state. */
        RoomConfig combine(RoomConfig other) {
            return new RoomConfig(Math.max(timelineLimit, other.timelineLimit),
                    requiredState.union(other.requiredState));
        }
    }

    /**
     * A list: a filtered, sorted view of the user's rooms of which the ranges are sent.
     *
     * @param ranges  inclusive index ranges into the filtered list; none sends no room of it
     * @param allRooms {@code slow_get_all_rooms}: every room of the list, whatever the ranges
     */
    public record ListRequest(List<Range> ranges, boolean allRooms, RoomConfig config, ListFilters filters) {

        public ListRequest {
            ranges = List.copyOf(ranges);
        }
    }

    /** An inclusive range of list positions. */
    public record Range(int start, int end) {
    }

    /**
     * A list's filters; a null field does not filter. A room must pass every filter given.
     *
     * @param roomTypes    room types to keep (a null entry: rooms without a type)
     * @param notRoomTypes room types to drop; wins over {@code roomTypes}
     * @param notTags      tags whose rooms are dropped; wins over {@code tags}
     */
    public record ListFilters(Boolean isDm, List<String> spaces, Boolean isEncrypted, Boolean isInvite,
            List<String> roomTypes, List<String> notRoomTypes, List<String> tags, List<String> notTags) {

        /** No filter. */
        static final ListFilters NONE = new ListFilters(null, null, null, null, null, null, null, null);

        boolean needsRoomTypes() {
            return roomTypes != null || notRoomTypes != null;
        }
    }

    /**
     * The extensions asked for; a disabled one is null.
     *
     * @param toDevice    the requesting device's to-device messages (MSC3885)
     * @param e2ee        device list changes and key counts (MSC3884)
     * @param accountData global and per-room account data (MSC3959)
     * @param receipts    read receipts (MSC3960)
     * @param typing      typing notifications (MSC3961)
     */
    public record Extensions(ToDevice toDevice, boolean e2ee, RoomScoped accountData, RoomScoped receipts,
            RoomScoped typing) {

        /** None. */
        static final Extensions NONE = new Extensions(null, false, null, null, null);
    }

    /**
     * The to-device extension.
     *
     * @param limit the most messages to return (at most 100)
     * @param since the {@code next_batch} of the previous response, or null
     */
    public record ToDevice(int limit, Long since) {
    }

    /**
     * An extension about rooms: which of the response's rooms it covers.
     *
     * @param lists the lists whose rooms it covers ({@code *}: all), by default all
     * @param rooms the subscribed rooms it covers ({@code *}: all), by default all
     */
    public record RoomScoped(List<String> lists, List<String> rooms) {

        public RoomScoped {
            lists = List.copyOf(lists);
            rooms = List.copyOf(rooms);
        }
    }
}
