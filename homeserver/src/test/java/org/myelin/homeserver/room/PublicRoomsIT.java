package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/**
 * GET and POST /publicRooms through the real server: the chunk fields, filters, keyset pagination both ways and
 * the errors. Every test publishes rooms named with its own marker and filters on it, so tests do not see each
 * other's rooms.
 */
class PublicRoomsIT extends HomeserverIT {

    private static final String PUBLIC_ROOMS = RoomClient.V3 + "/publicRooms";

    private RoomClient rooms;

    @BeforeEach
    void client() {
        rooms = new RoomClient(http);
    }

    @Test
    void chunkShouldDescribeThePublishedRoom() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String marker = unique("chunk");
        String local = unique("lobby");
        String roomId = rooms.create(alice, Map.of("visibility", "public", "name", marker + " Lobby",
                "topic", "Talk", "room_alias_name", local, "creation_content", Map.of("type", "m.space"),
                "initial_state", List.of(
                        Map.of("type", "m.room.avatar", "content", Map.of("url", "mxc://test.local/abc")),
                        Map.of("type", "m.room.history_visibility",
                                "content", Map.of("history_visibility", "world_readable")),
                        Map.of("type", "m.room.guest_access", "content", Map.of("guest_access", "can_join")))));
        rooms.join(bob, roomId);

        Map<String, Object> page = query(alice, Map.of("filter", Map.of("generic_search_term", marker)));
        assertThat(page).containsEntry("total_room_count_estimate", 1).doesNotContainKeys("next_batch",
                "prev_batch");
        assertThat(chunk(page)).singleElement().isEqualTo(Map.of("room_id", roomId, "name", marker + " Lobby",
                "topic", "Talk", "canonical_alias", "#" + local + ":test.local", "num_joined_members", 2,
                "world_readable", true, "guest_can_join", true, "join_rule", "public", "room_type", "m.space",
                "avatar_url", "mxc://test.local/abc"));
    }

    @Test
    void onlyPublishedJoinableRoomsShouldBeListed() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String marker = unique("listing");
        String listed = rooms.create(alice, Map.of("visibility", "public", "name", marker + " a"));
        rooms.create(alice, Map.of("preset", "public_chat", "name", marker + " unpublished"));
        rooms.create(alice, Map.of("visibility", "public", "preset", "private_chat",
                "name", marker + " invite"));
        assertThat(roomIds(query(alice, search(marker)))).containsExactly(listed);

        ok(rooms.request(PUT, RoomClient.V3 + "/directory/list/room/{roomId}", alice,
                Map.of("visibility", "private"), listed));
        assertThat(roomIds(query(alice, search(marker)))).isEmpty();
    }

    @Test
    void searchShouldMatchNameTopicOrAliasCaseInsensitively() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String marker = unique("needle");
        String byName = rooms.create(alice, Map.of("visibility", "public", "name", "The " + marker.toUpperCase()));
        String byTopic = rooms.create(alice, Map.of("visibility", "public", "topic", "about " + marker));
        String byAlias = rooms.create(alice, Map.of("visibility", "public", "room_alias_name", marker + "-x"));
        rooms.create(alice, Map.of("visibility", "public", "name", "unrelated"));
        assertThat(roomIds(query(alice, search(marker)))).containsExactlyInAnyOrder(byName, byTopic, byAlias);
        assertThat(roomIds(query(alice, search(marker + "%")))).isEmpty();
    }

    @Test
    void roomTypesShouldFilterWithNullForUntypedRooms() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String marker = unique("typed");
        String space = rooms.create(alice, Map.of("visibility", "public", "name", marker + " space",
                "creation_content", Map.of("type", "m.space")));
        String plain = rooms.create(alice, Map.of("visibility", "public", "name", marker + " plain"));
        assertThat(roomIds(query(alice, typed(marker, List.of("m.space"))))).containsExactly(space);
        List<Object> untyped = new ArrayList<>();
        untyped.add(null);
        assertThat(roomIds(query(alice, typed(marker, untyped)))).containsExactly(plain);
        untyped.add("m.space");
        assertThat(roomIds(query(alice, typed(marker, untyped)))).containsExactlyInAnyOrder(space, plain);
        assertThat(roomIds(query(alice, typed(marker, List.of())))).isEmpty();
    }

    @Test
    void pagesShouldCoverEveryRoomOnceAndPageBackToTheStart() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String marker = unique("pages");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(rooms.create(alice, Map.of("visibility", "public", "name", marker + " " + i)));
        }
        rooms.join(bob, created.get(3));

        Map<String, Object> first = query(alice, page(marker, 2, null));
        assertThat(roomIds(first)).hasSize(2).startsWith(created.get(3));
        assertThat(first).doesNotContainKey("prev_batch").containsEntry("total_room_count_estimate", 5);
        Map<String, Object> second = query(alice, page(marker, 2, (String) first.get("next_batch")));
        Map<String, Object> third = query(alice, page(marker, 2, (String) second.get("next_batch")));
        assertThat(third).doesNotContainKey("next_batch");
        List<String> all = new ArrayList<>(roomIds(first));
        all.addAll(roomIds(second));
        all.addAll(roomIds(third));
        assertThat(all).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();

        Map<String, Object> back = query(alice, page(marker, 2, (String) third.get("prev_batch")));
        assertThat(roomIds(back)).isEqualTo(roomIds(second));
        Map<String, Object> start = query(alice, page(marker, 2, (String) back.get("prev_batch")));
        assertThat(roomIds(start)).isEqualTo(roomIds(first));
        assertThat(start).doesNotContainKey("prev_batch");
    }

    @Test
    void getShouldWorkWithoutAnAccessTokenAndHonourLimitAndSince() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        rooms.create(alice, Map.of("visibility", "public", "name", unique("anon")));
        rooms.create(alice, Map.of("visibility", "public", "name", unique("anon")));
        Map<String, Object> first = ok(get(PUBLIC_ROOMS + "?limit=1", null));
        assertThat(chunk(first)).hasSize(1);
        Map<String, Object> second = ok(get(PUBLIC_ROOMS + "?limit=1&since=" + first.get("next_batch"), null));
        assertThat(roomIds(second)).hasSize(1).doesNotContainAnyElementsOf(roomIds(first));
        assertThat(second).containsKey("prev_batch");
    }

    @Test
    void badParametersAndOtherServersShouldBeRejected() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(get(PUBLIC_ROOMS + "?limit=abc", null), 400, "M_INVALID_PARAM");
        expectError(get(PUBLIC_ROOMS + "?limit=0", null), 400, "M_INVALID_PARAM");
        expectError(get(PUBLIC_ROOMS + "?since=garbage", null), 400, "M_INVALID_PARAM");
        expectError(get(PUBLIC_ROOMS + "?server=remote.example", null), 401, "M_MISSING_TOKEN");
        expectError(rooms.request(GET, PUBLIC_ROOMS + "?server=remote.example", alice, null), 404, "M_NOT_FOUND");
        expectError(get(PUBLIC_ROOMS + "?server=bad_server", null), 400, "M_INVALID_PARAM");
        assertThat(ok(get(PUBLIC_ROOMS + "?server=test.local", null))).containsKey("chunk");
        expectError(rooms.request(POST, PUBLIC_ROOMS, alice, Map.of("limit", "ten")), 400, "M_BAD_JSON");
        expectError(rooms.request(POST, PUBLIC_ROOMS, alice, Map.of("filter", Map.of("room_types", "m.space"))),
                400, "M_BAD_JSON");
        expectError(rooms.request(POST, PUBLIC_ROOMS + "?server=remote.example", alice, Map.of()), 404,
                "M_NOT_FOUND");
        expectError(post(PUBLIC_ROOMS, Map.of(), null), 401, "M_MISSING_TOKEN");
        assertThat(rooms.request(GET, PUBLIC_ROOMS, null, null).expectStatus().isOk()).isNotNull();
    }

    private Map<String, Object> query(Session session, Map<String, Object> body) {
        return ok(rooms.request(POST, PUBLIC_ROOMS, session, body));
    }

    private static Map<String, Object> search(String term) {
        return Map.of("filter", Map.of("generic_search_term", term));
    }

    private static Map<String, Object> typed(String term, List<Object> types) {
        Map<String, Object> filter = new HashMap<>();
        filter.put("generic_search_term", term);
        filter.put("room_types", types);
        return Map.of("filter", filter);
    }

    private static Map<String, Object> page(String term, int limit, String since) {
        Map<String, Object> body = new HashMap<>(search(term));
        body.put("limit", limit);
        if (since != null) {
            body.put("since", since);
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chunk(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("chunk");
    }

    private static List<String> roomIds(Map<String, Object> page) {
        return chunk(page).stream().map(room -> (String) room.get("room_id")).toList();
    }
}
