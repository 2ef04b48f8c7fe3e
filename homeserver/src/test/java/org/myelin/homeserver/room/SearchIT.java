package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
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
 * POST /search through the real server: history visibility (events from before a user's join in a "joined" room,
 * rooms left, rooms never joined), filters, both orders, paging through next_batch, groupings, event_context,
 * include_state, redactions, and bad input. Each test searches for words of its own, so tests share the database.
 */
@SuppressWarnings("unchecked")
class SearchIT extends HomeserverIT {

    private static final String SEARCH = RoomClient.V3 + "/search";

    private RoomClient rooms;
    private RoomReads reads;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        rooms = new RoomClient(http);
        reads = new RoomReads(rooms);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    @Test
    void aMatchShouldComeWithItsRankCountAndHighlights() {
        String word = word("fox");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        String eventId = send(alice, roomId, "The quick brown " + word + " jumps");
        send(alice, roomId, "nothing to see here");

        Map<String, Object> found = roomEvents(search(alice, criteria(word)));
        assertThat(found).containsEntry("count", 1).containsEntry("highlights", List.of(word))
                .doesNotContainKey("next_batch");
        List<Map<String, Object>> results = results(found);
        assertThat(results).hasSize(1);
        assertThat(((Number) results.get(0).get("rank")).doubleValue()).isPositive();
        Map<String, Object> event = (Map<String, Object>) results.get(0).get("result");
        assertThat(event).containsEntry("event_id", eventId).containsEntry("room_id", roomId)
                .containsEntry("type", "m.room.message").doesNotContainKeys("hashes", "signatures", "auth_events");
        assertThat(results.get(0)).doesNotContainKey("context");
    }

    @Test
    void stemmingShouldMatchOtherFormsOfAWordAndHighlightThem() {
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        String stem = word("hike");
        send(alice, roomId, "we were " + stem + "ing all day");
        Map<String, Object> found = roomEvents(search(alice, criteria(stem + "s")));
        assertThat(bodies(found)).containsExactly("we were " + stem + "ing all day");
        assertThat(found.get("highlights")).isEqualTo(List.of(stem + "ing"));
    }

    @Test
    void aJoinedOnlyRoomShouldHideWhatWasSaidBeforeTheSearcherJoined() {
        String word = word("secret");
        String roomId = reads.roomWithVisibility(alice, "joined", null);
        send(alice, roomId, word + " before bob");
        rooms.join(bob, roomId);
        send(alice, roomId, word + " after bob joined");

        assertThat(bodies(roomEvents(search(bob, criteria(word))))).containsExactly(word + " after bob joined");
        assertThat(bodies(roomEvents(search(alice, criteria(word))))).hasSize(2);
    }

    @Test
    void aSharedRoomShouldShowAJoinerWhatWasSaidBefore() {
        String word = word("history");
        String roomId = reads.roomWithVisibility(alice, "shared", null);
        send(alice, roomId, word + " from the start");
        rooms.join(bob, roomId);
        assertThat(bodies(roomEvents(search(bob, criteria(word))))).containsExactly(word + " from the start");
    }

    @Test
    void roomsNeverJoinedShouldNotBeSearchedEvenWhenWorldReadable() {
        String word = word("outside");
        String publicRoom = reads.roomWithVisibility(alice, "world_readable", null);
        send(alice, publicRoom, word + " in the open");
        String privateRoom = rooms.create(alice, Map.of("preset", "private_chat"));
        send(alice, privateRoom, word + " behind doors");

        Map<String, Object> found = roomEvents(search(bob, criteria(word)));
        assertThat(results(found)).isEmpty();
        assertThat(found).containsEntry("count", 0);
    }

    @Test
    void aLeftRoomShouldStillBeSearchedUpToTheLeave() {
        String word = word("farewell");
        String roomId = reads.roomWithVisibility(alice, "shared", null);
        rooms.join(bob, roomId);
        send(alice, roomId, word + " while bob was here");
        leave(bob, roomId);
        send(alice, roomId, word + " after bob left");

        assertThat(bodies(roomEvents(search(bob, criteria(word))))).containsExactly(word + " while bob was here");
    }

    @Test
    void filtersShouldLimitRoomsSendersAndTypes() {
        String word = word("filter");
        String first = rooms.create(alice, Map.of("preset", "public_chat"));
        String second = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, first);
        rooms.join(bob, second);
        send(alice, first, word + " alice first");
        send(bob, first, word + " bob first");
        send(alice, second, word + " alice second");
        setName(alice, second, "The " + word + " room");

        assertThat(bodies(roomEvents(search(alice, criteria(word, "filter", Map.of("rooms", List.of(first)))))))
                .containsExactlyInAnyOrder(word + " alice first", word + " bob first");
        assertThat(bodies(roomEvents(search(alice, criteria(word, "filter", Map.of("not_rooms", List.of(first)),
                "keys", List.of("content.body")))))).containsExactly(word + " alice second");
        assertThat(bodies(roomEvents(search(alice, criteria(word, "filter", Map.of("senders",
                List.of(bob.userId()))))))).containsExactly(word + " bob first");
        assertThat(bodies(roomEvents(search(alice, criteria(word, "filter", Map.of("not_senders",
                List.of(bob.userId()), "rooms", List.of(first))))))).containsExactly(word + " alice first");
        List<Map<String, Object>> names = results(roomEvents(search(alice, criteria(word, "filter",
                Map.of("types", List.of("m.room.name"))))));
        assertThat(names).extracting(r -> ((Map<String, Object>) r.get("result")).get("type"))
                .containsExactly("m.room.name");
        assertThat(results(roomEvents(search(alice, criteria(word, "keys", List.of("content.name"))))))
                .hasSize(1);
        assertThat(results(roomEvents(search(alice, criteria(word, "filter", Map.of("limit", 1)))))).hasSize(1);
        assertThat(roomEvents(search(alice, criteria(word, "filter", Map.of("types", List.of())))))
                .containsEntry("count", 0).containsEntry("results", List.of());
        assertThat(roomEvents(search(alice, criteria(word, "filter", Map.of("limit", 0)))))
                .containsEntry("count", 4).containsEntry("results", List.of());
    }

    @Test
    void aRoomFilterShouldAlsoSearchTheRoomsItWasUpgradedFrom() {
        String word = word("ancestor");
        String oldRoom = rooms.create(alice, Map.of("preset", "private_chat", "room_version", "10"));
        send(alice, oldRoom, word + " in the old room");
        Map<String, Object> upgraded = MatrixErrors.body(rooms.request(HttpMethod.POST, RoomClient.room(oldRoom)
                + "/upgrade", alice, Map.of("new_version", "12")).expectStatus().isOk());
        String newRoom = (String) upgraded.get("replacement_room");
        send(alice, newRoom, word + " in the new room");

        assertThat(bodies(roomEvents(search(alice, criteria(word, "keys", List.of("content.body"),
                "filter", Map.of("rooms", List.of(newRoom)))))))
                .containsExactlyInAnyOrder(word + " in the old room", word + " in the new room");
        assertThat(bodies(roomEvents(search(alice, criteria(word, "filter", Map.of("rooms", List.of(oldRoom)))))))
                .containsExactly(word + " in the old room");
    }

    @Test
    void recentShouldPutTheNewestFirstAndRankTheBestMatchFirst() {
        String word = word("apple");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        send(alice, roomId, word + " " + word + " " + word + " pie");
        send(alice, roomId, "one " + word + " among many other words in a long sentence");

        assertThat(bodies(roomEvents(search(alice, criteria(word, "order_by", "recent")))))
                .containsExactly("one " + word + " among many other words in a long sentence",
                        word + " " + word + " " + word + " pie");
        assertThat(bodies(roomEvents(search(alice, criteria(word, "order_by", "rank")))))
                .containsExactly(word + " " + word + " " + word + " pie",
                        "one " + word + " among many other words in a long sentence");
    }

    @Test
    void nextBatchShouldPageThroughEveryResultOnceInBothOrders() {
        String word = word("page");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(send(alice, roomId, (word + " ").repeat(i + 1) + "number " + i));
        }
        for (String order : List.of("recent", "rank")) {
            List<String> seen = new ArrayList<>();
            String next = null;
            int pages = 0;
            do {
                Map<String, Object> found = roomEvents(search(alice, criteria(word, "order_by", order,
                        "filter", Map.of("limit", 2)), next));
                assertThat(found).containsEntry("count", 5);
                results(found).forEach(r -> seen.add((String) ((Map<String, Object>) r.get("result"))
                        .get("event_id")));
                next = (String) found.get("next_batch");
                pages++;
            } while (next != null && pages < 10);
            assertThat(seen).as(order).containsExactlyInAnyOrderElementsOf(sent).doesNotHaveDuplicates();
            assertThat(pages).as(order).isEqualTo(3);
        }
        List<String> recent = ids(roomEvents(search(alice, criteria(word, "order_by", "recent"))));
        List<String> newestFirst = new ArrayList<>(sent);
        java.util.Collections.reverse(newestFirst);
        assertThat(recent).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void groupingsShouldPartitionByRoomAndSenderAndPageWithinARoom() {
        String word = word("group");
        String first = rooms.create(alice, Map.of("preset", "public_chat"));
        String second = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, first);
        String a1 = send(alice, first, word + " one");
        String b1 = send(bob, first, word + " two");
        String a2 = send(alice, second, word + " three");
        String a4 = send(alice, first, word + " four");

        Map<String, Object> found = roomEvents(search(alice, criteria(word, "order_by", "recent",
                "filter", Map.of("limit", 3),
                "groupings", Map.of("group_by", List.of(Map.of("key", "room_id"), Map.of("key", "sender")))), null));
        Map<String, Object> groups = (Map<String, Object>) found.get("groups");
        Map<String, Map<String, Object>> byRoom = (Map<String, Map<String, Object>>) groups.get("room_id");
        Map<String, Map<String, Object>> bySender = (Map<String, Map<String, Object>>) groups.get("sender");
        assertThat(byRoom.get(first)).containsEntry("order", 1).containsKey("next_batch");
        assertThat(byRoom.get(first)).containsEntry("results", List.of(a4, b1));
        assertThat(byRoom.get(second)).containsEntry("order", 2).containsEntry("results", List.of(a2));
        assertThat(bySender.get(bob.userId())).containsEntry("results", List.of(b1));
        assertThat(bySender.get(alice.userId())).containsEntry("results", List.of(a4, a2)).containsEntry("order", 1);
        assertThat(bySender.get(bob.userId())).containsEntry("order", 2);

        Map<String, Object> rest = roomEvents(search(alice, criteria(word, "order_by", "recent"),
                (String) byRoom.get(first).get("next_batch")));
        assertThat(ids(rest)).containsExactly(a1);
    }

    @Test
    void eventContextShouldCarryTheNeighboursAndTheSendersProfiles() {
        String word = word("context");
        rooms.request(HttpMethod.PUT, RoomClient.V3 + "/profile/{userId}/displayname", alice,
                Map.of("displayname", "Alice Liddell"), alice.userId()).expectStatus().isOk();
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        String before = send(bob, roomId, "just before");
        send(alice, roomId, "the " + word + " itself");
        String after = send(bob, roomId, "just after");
        send(bob, roomId, "much later");

        Map<String, Object> found = roomEvents(search(alice, criteria(word, "event_context",
                Map.of("before_limit", 1, "after_limit", 1, "include_profile", true))));
        Map<String, Object> context = (Map<String, Object>) results(found).get(0).get("context");
        assertThat(RoomReads.ids(context, "events_before")).containsExactly(before);
        assertThat(RoomReads.ids(context, "events_after")).containsExactly(after);
        assertThat((String) context.get("start")).startsWith("t");
        assertThat((String) context.get("end")).startsWith("t");
        Map<String, Object> profiles = (Map<String, Object>) context.get("profile_info");
        assertThat(profiles).containsOnlyKeys(alice.userId(), bob.userId());
        assertThat((Map<String, Object>) profiles.get(alice.userId())).containsEntry("displayname", "Alice Liddell");

        Map<String, Object> page = reads.ok(alice, RoomClient.room(roomId) + "/messages?dir=b&limit=5&from="
                + context.get("start"));
        assertThat(RoomReads.ids(page, "chunk")).doesNotContain(before);

        Map<String, Object> plain = roomEvents(search(alice, criteria(word, "event_context", Map.of())));
        Map<String, Object> defaults = (Map<String, Object>) results(plain).get(0).get("context");
        assertThat((List<Object>) defaults.get("events_after")).hasSize(2);
        assertThat(defaults).doesNotContainKey("profile_info");
    }

    @Test
    void includeStateShouldReturnTheStateOfEachRoomOfTheResults() {
        String word = word("stateful");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        send(alice, roomId, word + " message");
        Map<String, Object> found = roomEvents(search(alice, criteria(word, "include_state", true)));
        List<Map<String, Object>> state = ((Map<String, List<Map<String, Object>>>) found.get("state")).get(roomId);
        assertThat(state).extracting(e -> e.get("type")).contains("m.room.create", "m.room.member");
        assertThat(roomEvents(search(alice, criteria(word)))).doesNotContainKey("state");
    }

    @Test
    void aRedactedEventShouldNoLongerBeFound() {
        String word = word("oops");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        String eventId = send(alice, roomId, word + " I should not have said that");
        assertThat(ids(roomEvents(search(alice, criteria(word))))).containsExactly(eventId);
        rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/redact/" + eventId + "/r1", alice, Map.of())
                .expectStatus().isOk();
        Map<String, Object> found = roomEvents(search(alice, criteria(word)));
        assertThat(results(found)).isEmpty();
        assertThat(found).containsEntry("count", 0);
    }

    @Test
    void badRequestsShouldGetMatrixErrors() {
        String term = word("bad");
        expectError(post(SEARCH, Map.of("search_categories", Map.of("room_events", Map.of("search_term", term))),
                null), 401, "M_MISSING_TOKEN");
        expectError(rooms.raw(HttpMethod.POST, SEARCH, alice, "{not json"), 400, "M_NOT_JSON");
        expectError(search(alice, Map.of()), 400, "M_MISSING_PARAM");
        expectError(search(alice, Map.of("search_categories", "room_events")), 400, "M_BAD_JSON");
        expectError(search(alice, Map.of("search_categories", Map.of())), 400, "M_MISSING_PARAM");
        expectError(search(alice, Map.of("search_categories", Map.of("room_events", Map.of("search_term", term),
                "people", Map.of()))), 400, "M_INVALID_PARAM");
        expectError(search(alice, Map.of("search_categories", Map.of("room_events", Map.of()))), 400,
                "M_MISSING_PARAM");
        expectError(search(alice, Map.of("search_categories", Map.of("room_events", Map.of("search_term", 5)))),
                400, "M_BAD_JSON");
        expectError(search(alice, categories(criteria(term, "order_by", "oldest"))), 400, "M_INVALID_PARAM");
        expectError(search(alice, categories(criteria(term, "keys", List.of("content.msgtype")))), 400,
                "M_INVALID_PARAM");
        expectError(search(alice, categories(criteria(term, "keys", "content.body"))), 400, "M_BAD_JSON");
        expectError(search(alice, categories(criteria(term, "filter", List.of()))), 400, "M_BAD_JSON");
        expectError(search(alice, categories(criteria(term, "filter", Map.of("limit", -1)))), 400,
                "M_INVALID_PARAM");
        expectError(search(alice, categories(criteria(term, "event_context", Map.of("before_limit", -1)))), 400,
                "M_INVALID_PARAM");
        expectError(search(alice, categories(criteria(term, "event_context", Map.of("after_limit", "5")))), 400,
                "M_BAD_JSON");
        expectError(search(alice, categories(criteria(term, "groupings", Map.of("group_by",
                List.of(Map.of("key", "type")))))), 400, "M_INVALID_PARAM");
        expectError(search(alice, categories(criteria(term)), "bm90IGEgdG9rZW4"), 400, "M_INVALID_PARAM");
        String rankToken = "MQoKcgowLjEKNQ";
        expectError(search(alice, categories(criteria(term, "order_by", "recent")), rankToken), 400,
                "M_INVALID_PARAM");
        expectError(rooms.request(HttpMethod.GET, SEARCH, alice, null), 405, "M_UNRECOGNIZED");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** A word no other test searches for (letters only, so no stemmer changes it). */
    private static String word(String stem) {
        StringBuilder out = new StringBuilder(stem);
        for (char digit : unique("").toCharArray()) {
            out.append("bcdfghjkmn".charAt(digit - '0'));
        }
        return out.toString();
    }

    private String send(Session session, String roomId, String body) {
        return rooms.send(session, roomId, unique("txn"), Map.of("msgtype", "m.text", "body", body));
    }

    private void leave(Session session, String roomId) {
        rooms.request(HttpMethod.POST, RoomClient.room(roomId) + "/leave", session, Map.of()).expectStatus().isOk();
    }

    private void setName(Session session, String roomId, String name) {
        rooms.request(HttpMethod.PUT, RoomClient.room(roomId) + "/state/m.room.name/", session, Map.of("name", name))
                .expectStatus().isOk();
    }

    private static Map<String, Object> criteria(String term, Object... fields) {
        Map<String, Object> criteria = new HashMap<>();
        criteria.put("search_term", term);
        for (int i = 0; i < fields.length; i += 2) {
            criteria.put((String) fields[i], fields[i + 1]);
        }
        return criteria;
    }

    private static Map<String, Object> categories(Map<String, Object> criteria) {
        return Map.of("search_categories", Map.of("room_events", criteria));
    }

    private WebTestClient.ResponseSpec search(Session session, Map<String, Object> body) {
        return search(session, body, null);
    }

    private WebTestClient.ResponseSpec search(Session session, Map<String, Object> body, String nextBatch) {
        Object wrapped = body.containsKey("search_term") ? categories(body) : body;
        if (nextBatch == null) {
            return rooms.request(HttpMethod.POST, SEARCH, session, wrapped);
        }
        return rooms.request(HttpMethod.POST, SEARCH + "?next_batch={token}", session, wrapped, nextBatch);
    }

    private static Map<String, Object> roomEvents(WebTestClient.ResponseSpec response) {
        Map<String, Object> body = MatrixErrors.body(response.expectStatus().isOk());
        return (Map<String, Object>) ((Map<String, Object>) body.get("search_categories")).get("room_events");
    }

    private static List<Map<String, Object>> results(Map<String, Object> roomEvents) {
        return (List<Map<String, Object>>) roomEvents.get("results");
    }

    private static List<Object> bodies(Map<String, Object> roomEvents) {
        return results(roomEvents).stream()
                .map(r -> ((Map<String, Object>) ((Map<String, Object>) r.get("result")).get("content")).get("body"))
                .toList();
    }

    private static List<String> ids(Map<String, Object> roomEvents) {
        return results(roomEvents).stream()
                .map(r -> (String) ((Map<String, Object>) r.get("result")).get("event_id")).toList();
    }
}
