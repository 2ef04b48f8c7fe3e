package org.myelin.clientapi.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListFilters;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.ListRequest;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Range;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.RoomConfig;
import org.myelin.federation.protocol.id.EventId;
import org.myelin.federation.protocol.id.RoomId;
import org.myelin.room.api.SlidingRoomListing;
import org.myelin.room.api.SyncMembership;

class RoomListsTest {

    private static final String ME = "@me:x";
    private static final RoomConfig ONE = new RoomConfig(1, RequiredState.NONE);
    private static final ListFilters NONE = ListFilters.NONE;

    private static SlidingRoomListing room(String id, String membership, long membershipAt, Long bump, String sender,
            boolean encrypted, String type) {
        return new SlidingRoomListing(new SyncMembership(new RoomId(id), membership, new EventId("$" + id),
                membershipAt), sender, bump, true, true, encrypted, type);
    }

    private static RoomLists.Outcome compute(Map<String, ListRequest> lists, Map<String, RoomConfig> subs,
            List<SlidingRoomListing> rooms, long since) {
        return RoomLists.compute(new SlidingSyncRequest("", lists, subs, SlidingSyncRequest.Extensions.NONE),
                new RoomLists.Input(ME, rooms, Set.of("!dm:x"), Map.of("!fav:x", Set.of("m.favourite")),
                        Map.of(), since));
    }

    private static ListRequest range(int start, int end, ListFilters filters) {
        return new ListRequest(List.of(new Range(start, end)), false, ONE, filters);
    }

    @Test
    void roomsShouldBeSortedByBumpStampAndOthersByTheirMembership() {
        List<SlidingRoomListing> rooms = List.of(room("!a:x", "join", 1, 10L, null, false, null),
                room("!b:x", "join", 2, 30L, null, false, null), room("!c:x", "invite", 20, null, null, false, null),
                room("!d:x", "join", 5, null, null, false, null));
        RoomLists.Outcome out = compute(Map.of("all", range(0, 9, NONE)), Map.of(), rooms, 0);
        assertThat(out.windows().get("all").get(0).roomIds()).containsExactly("!b:x", "!c:x", "!a:x", "!d:x");
        assertThat(out.counts()).containsEntry("all", 4);
    }

    @Test
    void rangesShouldPickPositionsOfTheFilteredListAndConfigsCombine() {
        List<SlidingRoomListing> rooms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rooms.add(room("!r" + i + ":x", "join", 1, (long) (10 - i), null, false, null));
        }
        ListRequest windows = new ListRequest(List.of(new Range(0, 0), new Range(3, 99)), false, ONE, NONE);
        RoomConfig big = new RoomConfig(20, RequiredState.of(List.of(List.of("*", "*"))));
        RoomLists.Outcome out = compute(Map.of("w", windows), Map.of("!r0:x", big, "!nope:x", big), rooms, 0);
        assertThat(out.windows().get("w")).extracting(RoomLists.Window::roomIds).containsExactly(
                List.of("!r0:x"), List.of("!r3:x", "!r4:x"));
        assertThat(out.relevant()).containsOnlyKeys("!r0:x", "!r3:x", "!r4:x");
        assertThat(out.relevant().get("!r0:x").timelineLimit()).isEqualTo(20);
        assertThat(out.relevant().get("!r3:x")).isEqualTo(ONE);
    }

    @Test
    void ownLeavesShouldBeListedOnlyInTheirWindowAndKicksAlways() {
        List<SlidingRoomListing> rooms = List.of(room("!left:x", "leave", 50, null, ME, false, null),
                room("!kicked:x", "leave", 40, null, "@mod:x", false, null),
                room("!banned:x", "ban", 30, null, "@mod:x", false, null));
        assertThat(compute(Map.of("all", range(0, 9, NONE)), Map.of(), rooms, 0).counts()).containsEntry("all", 2);
        assertThat(compute(Map.of("all", range(0, 9, NONE)), Map.of(), rooms, 45).counts()).containsEntry("all", 3);
        assertThat(compute(Map.of("all", range(0, 9, NONE)), Map.of("!left:x", ONE), rooms, 0).relevant())
                .containsKey("!left:x");
    }

    @Test
    void filtersShouldEachNarrowTheList() {
        List<SlidingRoomListing> rooms = List.of(room("!dm:x", "join", 1, 9L, null, true, null),
                room("!space:x", "join", 1, 8L, null, false, "m.space"),
                room("!fav:x", "join", 1, 7L, null, false, null),
                room("!inv:x", "invite", 6, null, null, false, null),
                new SlidingRoomListing(new SyncMembership(new RoomId("!remote:x"), "invite",
                        new EventId("$remote:x"), 5), null, null, false, false, false, null));
        Map<String, ListRequest> lists = Map.of(
                "dm", range(0, 9, new ListFilters(true, null, null, null, null, null, null, null)),
                "enc", range(0, 9, new ListFilters(null, null, true, null, null, null, null, null)),
                "plain", range(0, 9, new ListFilters(null, null, false, null, null, null, null, null)),
                "inv", range(0, 9, new ListFilters(null, null, null, true, null, null, null, null)),
                "spaces", range(0, 9, new ListFilters(null, null, null, null, List.of("m.space"), null, null, null)),
                "notSpaces", range(0, 9, new ListFilters(null, null, null, null, null, List.of("m.space"), null,
                        null)),
                "fav", range(0, 9, new ListFilters(null, null, null, null, null, null, List.of("m.favourite"), null)),
                "notFav", range(0, 9, new ListFilters(null, null, null, null, null, null, null,
                        List.of("m.favourite"))),
                "inSpace", range(0, 9, new ListFilters(null, List.of("!space:x"), null, null, null, null, null,
                        null)));
        RoomLists.Outcome out = RoomLists.compute(new SlidingSyncRequest("", lists, Map.of(),
                SlidingSyncRequest.Extensions.NONE), new RoomLists.Input(ME, rooms, Set.of("!dm:x"),
                        Map.of("!fav:x", Set.of("m.favourite")), Map.of("inSpace", Set.of("!fav:x")), 0));
        assertThat(ids(out, "dm")).containsExactly("!dm:x");
        assertThat(ids(out, "enc")).containsExactly("!dm:x");
        assertThat(ids(out, "plain")).containsExactly("!space:x", "!fav:x", "!inv:x");
        assertThat(ids(out, "inv")).containsExactly("!inv:x", "!remote:x");
        assertThat(ids(out, "spaces")).containsExactly("!space:x");
        assertThat(ids(out, "notSpaces")).containsExactly("!dm:x", "!fav:x", "!inv:x");
        assertThat(ids(out, "fav")).containsExactly("!fav:x");
        assertThat(ids(out, "notFav")).containsExactly("!dm:x", "!space:x", "!inv:x", "!remote:x");
        assertThat(ids(out, "inSpace")).containsExactly("!fav:x");
        assertThat(out.listed()).hasSize(5);
    }

    @Test
    void slowGetAllRoomsShouldTakeEveryRoom() {
        List<SlidingRoomListing> rooms = List.of(room("!a:x", "join", 1, 1L, null, false, null),
                room("!b:x", "join", 1, 2L, null, false, null));
        RoomLists.Outcome out = compute(Map.of("all", new ListRequest(List.of(), true, ONE, NONE)), Map.of(), rooms,
                0);
        assertThat(ids(out, "all")).containsExactly("!b:x", "!a:x");
        RoomLists.Outcome none = compute(Map.of("all", new ListRequest(List.of(), false, ONE, NONE)), Map.of(),
                rooms, 0);
        assertThat(none.relevant()).isEmpty();
        assertThat(none.counts()).containsEntry("all", 2);
    }

    private static List<String> ids(RoomLists.Outcome out, String list) {
        return out.windows().get(list).get(0).roomIds();
    }
}
