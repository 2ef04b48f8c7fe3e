package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/**
 * Spaces through the real server: GET /v1/rooms/{roomId}/hierarchy (order, depth, suggested children, paging, the
 * rooms a user may not preview left out, its 400 and 403 answers) and GET /v1/room_summary (by ID and alias, with
 * and without an access token, and the unstable path).
 */
class SpacesIT extends HomeserverIT {

    private static final String V1 = "/_matrix/client/v1";

    /** Alice's space, built once for the class (the database lives as long as it); no test changes it. */
    private static Tree tree;
    private static Session alice;
    private static Session bob;

    private RoomClient rooms;
    private Session carol;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        if (tree == null) {
            alice = accounts.register(unique("alice"), "pw-alice-1");
            bob = accounts.register(unique("bob"), "pw-bob-1");
            tree = buildTree();
        }
        carol = accounts.register(unique("carol"), "pw-carol-1");
    }

    /** A space and its rooms, as alice builds it. */
    private record Tree(String space, String b, String a, String subspace, String inner, String readable,
            String hidden) {
    }

    /**
     * S holds B (order "a"), A (order "b", suggested), the subspace T (holding C), W (world-readable, invite only)
     * and H (invite only), plus an m.space.child without via (no child); T, W and H have no order and were added in
     * that order.
     */
    private Tree buildTree() {
        String space = rooms.create(alice, Map.of("preset", "public_chat", "name", "Space",
                "creation_content", Map.of("type", "m.space")));
        String a = rooms.create(alice, Map.of("preset", "public_chat", "name", "A"));
        String b = rooms.create(alice, Map.of("preset", "public_chat", "name", "B", "topic", "bee"));
        String subspace = rooms.create(alice, Map.of("preset", "public_chat", "name", "T",
                "creation_content", Map.of("type", "m.space")));
        String inner = rooms.create(alice, Map.of("preset", "public_chat", "name", "C"));
        String readable = rooms.create(alice, Map.of("preset", "private_chat", "name", "W",
                "initial_state", List.of(Map.of("type", "m.room.history_visibility",
                        "content", Map.of("history_visibility", "world_readable")))));
        String hidden = rooms.create(alice, Map.of("preset", "private_chat", "name", "H"));
        child(space, subspace, Map.of());
        child(space, readable, Map.of());
        child(space, hidden, Map.of());
        child(space, a, Map.of("order", "b", "suggested", true));
        child(space, b, Map.of("order", "a"));
        child(subspace, inner, Map.of());
        ok(rooms.request(PUT, RoomClient.room(space) + "/state/m.space.child/!gone:test.local", alice, Map.of()));
        return new Tree(space, b, a, subspace, inner, readable, hidden);
    }

    private void child(String space, String child, Map<String, Object> extra) {
        Map<String, Object> content = new java.util.HashMap<>(extra);
        content.put("via", List.of("test.local"));
        ok(rooms.request(PUT, RoomClient.room(space) + "/state/m.space.child/" + child, alice, content));
    }

    private Map<String, Object> hierarchy(Session session, String roomId, String query) {
        return ok(get(V1 + "/rooms/" + roomId + "/hierarchy" + query, session.accessToken()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rooms(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("rooms");
    }

    private static List<Object> ids(Map<String, Object> page) {
        return rooms(page).stream().map(r -> r.get("room_id")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHierarchyWalksDepthFirstInTheSpacesOrderLeavingOutWhatTheUserMayNotSee() {
        Tree t = tree;
        Map<String, Object> page = hierarchy(bob, t.space(), "");

        assertThat(ids(page)).containsExactly(t.space(), t.b(), t.a(), t.subspace(), t.inner(), t.readable());
        assertThat(page).doesNotContainKey("next_batch");
        Map<String, Object> space = rooms(page).get(0);
        assertThat(space).containsEntry("name", "Space").containsEntry("room_type", "m.space")
                .containsEntry("join_rule", "public").containsEntry("world_readable", false)
                .containsEntry("guest_can_join", false).containsEntry("num_joined_members", 1)
                .containsEntry("room_version", "12");
        List<Map<String, Object>> children = (List<Map<String, Object>>) space.get("children_state");
        assertThat(children).extracting(c -> c.get("state_key"))
                .containsExactly(t.b(), t.a(), t.subspace(), t.readable(), t.hidden());
        assertThat(children.get(1)).containsEntry("type", "m.space.child").containsEntry("sender", alice.userId())
                .containsKey("origin_server_ts").containsEntry("content",
                        Map.of("via", List.of("test.local"), "order", "b", "suggested", true));
        Map<String, Object> b = rooms(page).get(1);
        assertThat(b).containsEntry("topic", "bee").containsEntry("children_state", List.of())
                .doesNotContainKey("room_type");
        assertThat(rooms(page).get(5)).containsEntry("world_readable", true).containsEntry("join_rule", "invite")
                .containsEntry("guest_can_join", true);
        assertThat(ids(hierarchy(alice, t.space(), ""))).contains(t.hidden());
    }

    @Test
    void suggestedOnlyAndMaxDepthNarrowTheWalk() {
        Tree t = tree;
        assertThat(ids(hierarchy(bob, t.space(), "?suggested_only=true"))).containsExactly(t.space(), t.a());
        assertThat(ids(hierarchy(bob, t.space(), "?max_depth=0"))).containsExactly(t.space());
        assertThat(ids(hierarchy(bob, t.space(), "?max_depth=1")))
                .containsExactly(t.space(), t.b(), t.a(), t.subspace(), t.readable());
        assertThat(ids(hierarchy(bob, t.subspace(), ""))).containsExactly(t.subspace(), t.inner());
    }

    @Test
    void pagesFollowEachOtherThroughNextBatch() {
        Tree t = tree;
        List<Object> seen = new ArrayList<>();
        String from = null;
        do {
            Map<String, Object> page = hierarchy(bob, t.space(), "?limit=2" + (from == null ? "" : "&from=" + from));
            assertThat(rooms(page)).hasSizeLessThanOrEqualTo(2);
            seen.addAll(ids(page));
            from = (String) page.get("next_batch");
        } while (from != null);
        assertThat(seen).containsExactly(t.space(), t.b(), t.a(), t.subspace(), t.inner(), t.readable());

        String next = (String) hierarchy(bob, t.space(), "?limit=1&max_depth=1").get("next_batch");
        assertThat(ids(hierarchy(bob, t.space(), "?limit=1&max_depth=1&from=" + next))).containsExactly(t.b());
        expectError(get(V1 + "/rooms/" + t.space() + "/hierarchy?max_depth=2&from=" + next, bob.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(get(V1 + "/rooms/" + t.space() + "/hierarchy?max_depth=1&suggested_only=true&from=" + next,
                bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(V1 + "/rooms/" + t.space() + "/hierarchy?max_depth=1&from=" + next, alice.accessToken()),
                400, "M_INVALID_PARAM");
        expectError(get(V1 + "/rooms/" + t.subspace() + "/hierarchy?max_depth=1&from=" + next, bob.accessToken()),
                400, "M_INVALID_PARAM");
        expectError(get(V1 + "/rooms/" + t.space() + "/hierarchy?from=unknown", bob.accessToken()), 400,
                "M_INVALID_PARAM");
    }

    @Test
    void badParametersAndRootsTheUserMayNotSeeAreRefused() {
        Tree t = tree;
        String hierarchy = V1 + "/rooms/" + t.space() + "/hierarchy";
        for (String query : new String[] {"?limit=0", "?limit=-3", "?limit=many", "?max_depth=-1", "?max_depth=1.5",
                "?suggested_only=yes"}) {
            expectError(get(hierarchy + query, bob.accessToken()), 400, "M_INVALID_PARAM");
        }
        expectError(get(V1 + "/rooms/" + t.hidden() + "/hierarchy", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(V1 + "/rooms/!unknown:test.local/hierarchy", bob.accessToken()), 403, "M_FORBIDDEN");
        expectError(get(V1 + "/rooms/not-a-room/hierarchy", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(hierarchy, null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void aRestrictedRoomIsShownToMembersOfItsAllowedRooms() {
        String space = rooms.create(alice, Map.of("preset", "public_chat", "creation_content",
                Map.of("type", "m.space")));
        String restricted = rooms.create(alice, Map.of("name", "R", "room_version", "10", "initial_state",
                List.of(Map.of("type", "m.room.join_rules", "content", Map.of("join_rule", "restricted", "allow",
                        List.of(Map.of("type", "m.room_membership", "room_id", space)))))));
        child(space, restricted, Map.of());
        assertThat(ids(hierarchy(carol, space, ""))).containsExactly(space);

        rooms.join(carol, space);
        Map<String, Object> page = hierarchy(carol, space, "");
        assertThat(ids(page)).containsExactly(space, restricted);
        assertThat(rooms(page).get(1)).containsEntry("join_rule", "restricted")
                .containsEntry("allowed_room_ids", List.of(space)).containsEntry("room_version", "10");
    }

    @Test
    void theRoomSummaryAnswersByIdAndAliasWithTheRequestersMembership() {
        Tree t = tree;
        ok(rooms.request(PUT, RoomClient.V3 + "/directory/room/{alias}", alice, Map.of("room_id", t.b()),
                "#bee-" + t.b().substring(1, 6) + ":test.local"));
        String summary = V1 + "/room_summary/{room}";

        Map<String, Object> byId = ok(http.get().uri(summary, t.space()).header("Authorization", alice.bearer())
                .exchange());
        assertThat(byId).containsEntry("room_id", t.space()).containsEntry("membership", "join")
                .containsEntry("room_type", "m.space").containsEntry("num_joined_members", 1)
                .doesNotContainKey("children_state");
        assertThat(ok(http.get().uri(summary, "#bee-" + t.b().substring(1, 6) + ":test.local")
                .header("Authorization", bob.bearer()).exchange())).containsEntry("room_id", t.b())
                .containsEntry("name", "B").containsEntry("membership", "leave");
        Map<String, Object> anonymous = ok(http.get().uri(summary, t.b()).exchange());
        assertThat(anonymous).containsEntry("room_id", t.b()).doesNotContainKey("membership");
        assertThat(ok(http.get().uri("/_matrix/client/unstable/im.nheko.summary/summary/{room}", t.space())
                .exchange())).containsEntry("name", "Space");

        expectError(http.get().uri(summary, t.hidden()).header("Authorization", bob.bearer()).exchange(), 404,
                "M_NOT_FOUND");
        expectError(http.get().uri(summary, t.hidden()).exchange(), 404, "M_NOT_FOUND");
        assertThat(ok(http.get().uri(summary, t.readable()).exchange())).containsEntry("world_readable", true);
        rooms.invite(alice, t.hidden(), carol.userId());
        assertThat(ok(http.get().uri(summary, t.hidden()).header("Authorization", carol.bearer()).exchange()))
                .containsEntry("membership", "invite");
        expectError(http.get().uri(summary, "!unknown:test.local").header("Authorization", bob.bearer())
                .exchange(), 404, "M_NOT_FOUND");
        expectError(http.get().uri(summary, "#unknown:test.local").exchange(), 404, "M_NOT_FOUND");
        expectError(http.get().uri(summary, "nonsense").exchange(), 400, "M_INVALID_PARAM");
        expectError(http.get().uri(summary + "?via=not%20a%20server", t.b()).exchange(), 400, "M_INVALID_PARAM");
        expectError(http.get().uri(summary, t.b()).header("Authorization", "Bearer nope").exchange(), 401,
                "M_UNKNOWN_TOKEN");
    }
}
