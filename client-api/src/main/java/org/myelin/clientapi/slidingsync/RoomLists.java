package org.myelin.clientapi.slidingsync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListFilters;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListRequest;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Range;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomConfig;
import org.myelin.room.api.SlidingRoomListing;

/**
 * The lists and subscriptions of a request over a user's rooms (pure; the reads are done by the caller).
 *
 * <p>The rooms a list draws from are the user's joins, invites, knocks and bans, their kicks, and the rooms they
 * left themselves in the window (so the client sees its leave), sorted by recency: a joined room by its bump stamp,
 * any other by the position of the membership (Synapse's order; ties by room ID). A list keeps the rooms that pass
 * all its filters; its count is theirs; its ranges pick the rooms sent. A subscription matches a room the user has
 * any membership in. A room matched by several rules gets the superset of their configs.
 */
final class RoomLists {

    private static final Comparator<SlidingRoomListing> RECENT_FIRST = Comparator
            .comparingLong(SlidingRoomListing::sortPosition).reversed()
            .thenComparing(r -> r.membership().roomId().value());

    /**
     * What the lists are computed from.
     *
     * @param rooms         every membership of the user
     * @param dmRooms       the rooms of the user's {@code m.direct}
     * @param tags          the user's tag names by room
     * @param spaceChildren per list with a {@code spaces} filter, the children of its spaces the user is joined to
     * @param since         the request's events position, or 0 for a request without pos
     */
    record Input(String userId, List<SlidingRoomListing> rooms, Set<String> dmRooms, Map<String, Set<String>> tags,
            Map<String, Set<String>> spaceChildren, long since) {
    }

    /**
     * The outcome.
     *
     * @param counts   per list, how many rooms pass its filters
     * @param windows  per list, the rooms of its ranges, in list order
     * @param relevant the rooms matched by a range or a subscription, with their combined config
     * @param listed   every room that passes some list's filters, in range or not
     * @param rooms    the user's memberships by room
     */
    record Outcome(Map<String, Integer> counts, Map<String, List<Window>> windows,
            Map<String, RoomConfig> relevant, Set<String> listed, Map<String, SlidingRoomListing> rooms) {
    }

    /** The rooms one range of a list takes. */
    record Window(Range range, List<String> roomIds) {
    }

    private RoomLists() {
    }

    static Outcome compute(SlidingSyncRequest request, Input input) {
        Map<String, SlidingRoomListing> byRoom = new HashMap<>();
        input.rooms().forEach(r -> byRoom.put(r.membership().roomId().value(), r));
        List<SlidingRoomListing> sorted = input.rooms().stream().filter(r -> drawnFrom(r, input)).sorted(RECENT_FIRST)
                .toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<Window>> windows = new LinkedHashMap<>();
        Map<String, RoomConfig> relevant = new LinkedHashMap<>();
        Set<String> listed = new LinkedHashSet<>();
        request.lists().forEach((name, list) -> {
            List<String> matching = new ArrayList<>();
            for (SlidingRoomListing room : sorted) {
                if (passes(room, list.filters(), input, input.spaceChildren().get(name))) {
                    matching.add(room.membership().roomId().value());
                }
            }
            counts.put(name, matching.size());
            listed.addAll(matching);
            List<Window> window = windows(list, matching);
            windows.put(name, window);
            window.forEach(w -> w.roomIds().forEach(roomId -> relevant.merge(roomId, list.config(),
                    RoomConfig::combine)));
        });
        request.subscriptions().forEach((roomId, config) -> {
            if (byRoom.containsKey(roomId)) {
                relevant.merge(roomId, config, RoomConfig::combine);
            }
        });
        return new Outcome(counts, windows, relevant, listed, byRoom);
    }

    /** Whether a membership puts the room in the rooms lists draw from. */
    private static boolean drawnFrom(SlidingRoomListing room, Input input) {
        if (!"leave".equals(room.membership().membership())) {
            return true;
        }
        String sender = room.sender();
        boolean kicked = sender != null && !sender.equals(input.userId());
        boolean leftInWindow = input.since() > 0 && room.membership().streamOrdering() > input.since();
        return kicked || leftInWindow;
    }

    private static List<Window> windows(ListRequest list, List<String> matching) {
        if (list.allRooms()) {
            return List.of(new Window(new Range(0, Math.max(0, matching.size() - 1)), matching));
        }
        List<Window> windows = new ArrayList<>();
        for (Range range : list.ranges()) {
            int end = (int) Math.min((long) range.end() + 1, matching.size());
            windows.add(new Window(range, range.start() < end ? matching.subList(range.start(), end) : List.of()));
        }
        return windows;
    }

    static boolean passes(SlidingRoomListing room, ListFilters f, Input input, Set<String> spaceChildren) {
        String roomId = room.membership().roomId().value();
        if (f.isDm() != null && f.isDm() != input.dmRooms().contains(roomId)) {
            return false;
        }
        if (f.spaces() != null && (spaceChildren == null || !spaceChildren.contains(roomId))) {
            return false;
        }
        if (f.isEncrypted() != null && (!room.stateKnown() || room.encrypted() != f.isEncrypted())) {
            return false;
        }
        if (f.isInvite() != null && f.isInvite() != "invite".equals(room.membership().membership())) {
            return false;
        }
        if (f.needsRoomTypes() && (!room.stateKnown()
                || f.roomTypes() != null && !names(f.roomTypes(), room.roomType())
                || f.notRoomTypes() != null && names(f.notRoomTypes(), room.roomType()))) {
            return false;
        }
        Set<String> tags = input.tags().getOrDefault(roomId, Set.of());
        if (f.tags() != null && f.tags().stream().noneMatch(tags::contains)) {
            return false;
        }
        return f.notTags() == null || f.notTags().stream().noneMatch(tags::contains);
    }

    /** Whether a room type list (where null stands for rooms without a type) names {@code type}. */
    private static boolean names(List<String> types, String type) {
        return types.stream().anyMatch(t -> Objects.equals(t, type));
    }
}
