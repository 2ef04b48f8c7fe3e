package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * POST /user_directory/search through the real server: users sharing a room and users of public rooms are found,
 * users alone in private rooms are not, profile changes show at once, and limit/limited. The default
 * {@code search_all_users=false} applies.
 */
@SuppressWarnings("unchecked")
class UserDirectoryIT extends HomeserverIT {

    private static final String SEARCH = RoomClient.V3 + "/user_directory/search";

    private RoomClient rooms;
    private Session searcher;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        searcher = accounts.register(unique("searcher"), "pw-searcher-1");
    }

    @Test
    void aUserSharingAPrivateRoomShouldBeFoundByLocalpartAndDisplayName() {
        String tag = tag();
        Session friend = accounts.register("friend" + tag, "pw-friend-1");
        setDisplayName(friend, "Wilhelmina " + tag + "son");
        String roomId = rooms.create(searcher, Map.of("preset", "private_chat"));
        rooms.invite(searcher, roomId, friend.userId());
        rooms.join(friend, roomId);

        assertThat(userIds(search(searcher, "friend" + tag))).containsExactly(friend.userId());
        assertThat(userIds(search(searcher, "wilhel"))).contains(friend.userId());
        assertThat(userIds(search(searcher, tag + "so"))).containsExactly(friend.userId());
        assertThat(userIds(search(searcher, friend.userId()))).containsExactly(friend.userId());
        Map<String, Object> user = results(search(searcher, "friend" + tag)).get(0);
        assertThat(user).containsEntry("display_name", "Wilhelmina " + tag + "son").doesNotContainKey("avatar_url");
    }

    @Test
    void aMemberOfAPublicRoomShouldBeFoundByAnyone() {
        String tag = tag();
        Session host = accounts.register("host" + tag, "pw-host-1");
        rooms.create(host, Map.of("preset", "public_chat"));
        assertThat(userIds(search(searcher, "host" + tag))).containsExactly(host.userId());
    }

    @Test
    void aMemberOfAWorldReadableRoomShouldBeFoundByAnyone() {
        String tag = tag();
        Session reader = accounts.register("reader" + tag, "pw-reader-1");
        rooms.create(reader, Map.of("preset", "private_chat",
                "initial_state", List.of(Map.of("type", "m.room.history_visibility", "state_key", "",
                        "content", Map.of("history_visibility", "world_readable")))));
        assertThat(userIds(search(searcher, "reader" + tag))).containsExactly(reader.userId());
    }

    @Test
    void aUserInNoSharedOrPublicRoomShouldNotBeFound() {
        String tag = tag();
        Session loner = accounts.register("loner" + tag, "pw-loner-1");
        assertThat(userIds(search(searcher, "loner" + tag))).isEmpty();
        String roomId = rooms.create(loner, Map.of("preset", "private_chat"));
        assertThat(userIds(search(searcher, "loner" + tag))).isEmpty();

        rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/state/m.room.join_rules/", loner,
                Map.of("join_rule", "public")).expectStatus().isOk();
        assertThat(userIds(search(searcher, "loner" + tag))).containsExactly(loner.userId());
        rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/state/m.room.join_rules/", loner,
                Map.of("join_rule", "invite")).expectStatus().isOk();
        assertThat(userIds(search(searcher, "loner" + tag))).isEmpty();
    }

    @Test
    void aUserWhoLeftTheOnlySharedRoomShouldNoLongerBeFound() {
        String tag = tag();
        Session former = accounts.register("former" + tag, "pw-former-1");
        String roomId = rooms.create(searcher, Map.of("preset", "private_chat"));
        rooms.invite(searcher, roomId, former.userId());
        rooms.join(former, roomId);
        assertThat(userIds(search(searcher, "former" + tag))).containsExactly(former.userId());
        rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", former, Map.of()).expectStatus().isOk();
        assertThat(userIds(search(searcher, "former" + tag))).isEmpty();
    }

    @Test
    void aRenameShouldShowAtOnce() {
        String tag = tag();
        Session renamed = accounts.register("renamed" + tag, "pw-renamed-1");
        rooms.create(renamed, Map.of("preset", "public_chat"));
        setDisplayName(renamed, "Oldname" + tag);
        assertThat(userIds(search(searcher, "oldname" + tag))).containsExactly(renamed.userId());

        setDisplayName(renamed, "Newname" + tag);
        rooms.request(HttpMethod.PUT, RoomClient.V3 + "/profile/{userId}/avatar_url", renamed,
                Map.of("avatar_url", "mxc://test.local/avatar" + tag), renamed.userId()).expectStatus().isOk();
        assertThat(userIds(search(searcher, "oldname" + tag))).isEmpty();
        List<Map<String, Object>> found = results(search(searcher, "newname" + tag));
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).containsEntry("user_id", renamed.userId())
                .containsEntry("display_name", "Newname" + tag)
                .containsEntry("avatar_url", "mxc://test.local/avatar" + tag);
    }

    @Test
    void limitShouldCutTheResultsAndSayTheyWereLimited() {
        String tag = tag();
        String roomId = null;
        for (int i = 0; i < 3; i++) {
            Session member = accounts.register("many" + tag + "n" + i, "pw-many-1");
            if (roomId == null) {
                roomId = rooms.create(member, Map.of("preset", "public_chat"));
            } else {
                rooms.join(member, roomId);
            }
        }
        Map<String, Object> two = ok(search(searcher, "many" + tag, 2));
        assertThat((List<Object>) two.get("results")).hasSize(2);
        assertThat(two).containsEntry("limited", true);
        Map<String, Object> all = ok(search(searcher, "many" + tag, 3));
        assertThat((List<Object>) all.get("results")).hasSize(3);
        assertThat(all).containsEntry("limited", false);
        assertThat(ok(search(searcher, "many" + tag, null))).containsEntry("limited", false);
        Map<String, Object> none = ok(search(searcher, "many" + tag, 0));
        assertThat((List<Object>) none.get("results")).isEmpty();
        assertThat(none).containsEntry("limited", true);
    }

    @Test
    void anExactLocalpartShouldRankBeforeAPrefix() {
        String tag = tag();
        Session longer = accounts.register("rank" + tag + "longer", "pw-rank-1");
        Session exact = accounts.register("rank" + tag, "pw-rank-2");
        String roomId = rooms.create(longer, Map.of("preset", "public_chat"));
        rooms.join(exact, roomId);
        assertThat(userIds(search(searcher, "rank" + tag))).containsExactly(exact.userId(), longer.userId());
    }

    @Test
    void aTermWithoutWordsShouldFindNobody() {
        assertThat(ok(search(searcher, " :@. ", null))).containsEntry("results", List.of())
                .containsEntry("limited", false);
    }

    @Test
    void badRequestsShouldGetMatrixErrors() {
        expectError(post(SEARCH, Map.of("search_term", "x"), null), 401, "M_MISSING_TOKEN");
        expectError(rooms.raw(HttpMethod.POST, SEARCH, searcher, "[1"), 400, "M_NOT_JSON");
        expectError(rooms.raw(HttpMethod.POST, SEARCH, searcher, "[]"), 400, "M_BAD_JSON");
        expectError(rooms.request(HttpMethod.POST, SEARCH, searcher, Map.of()), 400, "M_MISSING_PARAM");
        expectError(rooms.request(HttpMethod.POST, SEARCH, searcher, Map.of("search_term", 1)), 400, "M_BAD_JSON");
        expectError(rooms.request(HttpMethod.POST, SEARCH, searcher, Map.of("search_term", "x", "limit", "10")),
                400, "M_BAD_JSON");
        expectError(rooms.request(HttpMethod.POST, SEARCH, searcher, Map.of("search_term", "x", "limit", -1)),
                400, "M_INVALID_PARAM");
        expectError(rooms.request(HttpMethod.POST, SEARCH, searcher, Map.of("search_term", "x".repeat(5000))),
                400, "M_TOO_LARGE");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Letters no other test's users have in their names. */
    private static String tag() {
        StringBuilder out = new StringBuilder("q");
        for (char digit : unique("").toCharArray()) {
            out.append("bcdfghjkmn".charAt(digit - '0'));
        }
        return out.toString();
    }

    private void setDisplayName(Session session, String name) {
        rooms.request(HttpMethod.PUT, RoomClient.V3 + "/profile/{userId}/displayname", session,
                Map.of("displayname", name), session.userId()).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec search(Session session, String term) {
        return search(session, term, null);
    }

    private WebTestClient.ResponseSpec search(Session session, String term, Integer limit) {
        Map<String, Object> body = limit == null ? Map.of("search_term", term)
                : Map.of("search_term", term, "limit", limit);
        return rooms.request(HttpMethod.POST, SEARCH, session, body);
    }

    private static List<Map<String, Object>> results(WebTestClient.ResponseSpec response) {
        return (List<Map<String, Object>>) MatrixErrors.body(response.expectStatus().isOk()).get("results");
    }

    private static List<Object> userIds(WebTestClient.ResponseSpec response) {
        return results(response).stream().map(u -> u.get("user_id")).toList();
    }
}
