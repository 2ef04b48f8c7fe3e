package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.V3;
import static org.myelin.homeserver.sync.SyncClient.ok;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * The deprecated pre-/sync endpoints through the real server: GET /events (from a /sync token, from now, peeking
 * into a world-readable room, long-polled), GET /events/{eventId}, GET /initialSync and GET
 * /rooms/{roomId}/initialSync, with their 400, 403 and 404 answers.
 */
class LegacySyncIT extends HomeserverIT {

    @Autowired
    private LongPoll longPoll;

    private SyncClient client;
    private Session alice;
    private Session bob;

    @BeforeEach
    void users() {
        client = new SyncClient(http);
        alice = accounts.register(unique("alice"), "pw-alice-1");
        bob = accounts.register(unique("bob"), "pw-bob-1");
    }

    private Map<String, Object> events(Session session, String query) {
        return ok(client.request(HttpMethod.GET, V3 + "/events" + query, session, null));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chunk(Map<String, Object> body) {
        return (List<Map<String, Object>>) body.get("chunk");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> bodies(List<Map<String, Object>> events) {
        return events.stream().filter(e -> "m.room.message".equals(e.get("type")))
                .map(e -> ((Map<String, Object>) e.get("content")).get("body")).toList();
    }

    @Test
    void theEventStreamContinuesFromASyncTokenWithRoomIds() {
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String since = (String) client.sync(bob).get("next_batch");
        client.send(alice, roomId, "streamed");
        String other = client.createRoom(alice, Map.of());
        client.membership(alice, other, "invite", Map.of("user_id", bob.userId()));

        Map<String, Object> first = events(bob, "?timeout=0&from=" + since);
        assertThat(first).containsEntry("start", since);
        assertThat(bodies(chunk(first))).containsExactly("streamed");
        assertThat(chunk(first)).filteredOn(e -> "m.room.message".equals(e.get("type")))
                .allSatisfy(e -> assertThat(e).containsEntry("room_id", roomId).containsKey("event_id"));
        assertThat(chunk(first)).anySatisfy(e -> assertThat(e).containsEntry("type", "m.room.member")
                .containsEntry("room_id", other).containsEntry("state_key", bob.userId()).containsKey("event_id"));

        Map<String, Object> again = events(bob, "?timeout=0&from=" + first.get("end"));
        assertThat(chunk(again)).isEmpty();
        assertThat(ok(client.request(HttpMethod.GET, V3 + "/sync?since=" + first.get("end"), bob, null)))
                .containsKey("next_batch");
    }

    @Test
    void withoutATokenTheStreamStartsNowAndLongPolls() throws Exception {
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.send(alice, roomId, "old news");
        Map<String, Object> now = events(alice, "?timeout=0");
        assertThat(chunk(now)).isEmpty();

        int parkedBefore = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> events(alice, "?timeout=20000&from=" + now.get("end")));
        awaitCondition(() -> longPoll.parked() > parkedBefore, "the /events poll to be parked");
        client.send(alice, roomId, "fresh news");
        assertThat(bodies(chunk(poll.get(15, TimeUnit.SECONDS)))).containsExactly("fresh news");
    }

    @Test
    void aWorldReadableRoomCanBePeekedIntoWithRoomId() throws Exception {
        String open = client.createRoom(alice, Map.of("preset", "public_chat", "initial_state", List.of(Map.of(
                "type", "m.room.history_visibility", "content", Map.of("history_visibility", "world_readable")))));
        String closed = client.createRoom(alice, Map.of("preset", "public_chat"));
        String since = (String) events(bob, "?timeout=0").get("end");
        client.send(alice, open, "for everyone");

        Map<String, Object> peeked = events(bob, "?timeout=0&room_id=" + open + "&from=" + since);
        assertThat(bodies(chunk(peeked))).containsExactly("for everyone");
        assertThat(chunk(peeked)).allSatisfy(e -> assertThat(e).containsEntry("room_id", open));

        int parkedBefore = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> events(bob, "?timeout=20000&room_id=" + open + "&from=" + peeked.get("end")));
        awaitCondition(() -> longPoll.parked() > parkedBefore, "the peek to be parked");
        client.send(alice, closed, "elsewhere");
        client.send(alice, open, "later");
        assertThat(bodies(chunk(poll.get(15, TimeUnit.SECONDS)))).containsExactly("later");

        expectError(client.request(HttpMethod.GET, V3 + "/events?timeout=0&room_id=" + closed, bob, null), 403,
                "M_FORBIDDEN");
        expectError(client.request(HttpMethod.GET, V3 + "/events?timeout=0&room_id=!unknown:test.local", bob, null),
                403, "M_FORBIDDEN");
    }

    @Test
    void badEventStreamParametersAreRefused() {
        expectError(client.request(HttpMethod.GET, V3 + "/events?from=garbage", bob, null), 400, "M_INVALID_PARAM");
        expectError(client.request(HttpMethod.GET, V3 + "/events?timeout=-5", bob, null), 400, "M_INVALID_PARAM");
        expectError(client.request(HttpMethod.GET, V3 + "/events?room_id=nope", bob, null), 400, "M_INVALID_PARAM");
        expectError(get(V3 + "/events", null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void oneEventIsReadByIdAlone() {
        String roomId = client.createRoom(alice, Map.of());
        String eventId = client.send(alice, roomId, "by id");
        assertThat(ok(client.request(HttpMethod.GET, V3 + "/events/" + eventId, alice, null)))
                .containsEntry("event_id", eventId).containsEntry("room_id", roomId);
        expectError(client.request(HttpMethod.GET, V3 + "/events/" + eventId, bob, null), 404, "M_NOT_FOUND");
        expectError(client.request(HttpMethod.GET, V3 + "/events/$unknown", alice, null), 404, "M_NOT_FOUND");
        expectError(client.request(HttpMethod.GET, V3 + "/events/not-an-event", alice, null), 404, "M_NOT_FOUND");
    }

    @Test
    @SuppressWarnings("unchecked")
    void initialSyncListsRoomsWithMessagesStateAndInvites() {
        String joined = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Joined",
                "visibility", "public"));
        client.send(alice, joined, "one");
        client.send(alice, joined, "two");
        String invitedTo = client.createRoom(bob, Map.of());
        client.membership(bob, invitedTo, "invite", Map.of("user_id", alice.userId()));
        String left = client.createRoom(bob, Map.of("preset", "public_chat"));
        client.membership(alice, left, "join", Map.of());
        client.membership(alice, left, "leave", Map.of());

        Map<String, Object> all = ok(client.request(HttpMethod.GET, V3 + "/initialSync?limit=1", alice, null));
        assertThat(all).containsKeys("end", "presence", "account_data");
        List<Map<String, Object>> rooms = (List<Map<String, Object>>) all.get("rooms");
        assertThat(rooms).extracting(r -> r.get("room_id")).containsExactlyInAnyOrder(joined, invitedTo);
        Map<String, Object> room = rooms.stream().filter(r -> joined.equals(r.get("room_id"))).findFirst()
                .orElseThrow();
        assertThat(room).containsEntry("membership", "join").containsEntry("visibility", "public");
        Map<String, Object> messages = (Map<String, Object>) room.get("messages");
        assertThat(bodies((List<Map<String, Object>>) messages.get("chunk"))).containsExactly("two");
        assertThat(messages).containsKeys("start", "end");
        assertThat((List<Map<String, Object>>) room.get("state")).extracting(e -> e.get("type"))
                .contains("m.room.create", "m.room.name", "m.room.member");
        Map<String, Object> before = ok(client.request(HttpMethod.GET, V3 + "/rooms/" + joined
                + "/messages?dir=b&from=" + messages.get("start"), alice, null));
        assertThat(bodies((List<Map<String, Object>>) before.get("chunk"))).startsWith("one");
        Map<String, Object> invite = rooms.stream().filter(r -> invitedTo.equals(r.get("room_id"))).findFirst()
                .orElseThrow();
        assertThat(invite).containsEntry("membership", "invite");
        assertThat((Map<String, Object>) invite.get("invite")).containsEntry("sender", bob.userId())
                .containsEntry("state_key", alice.userId()).containsKey("event_id");

        List<Map<String, Object>> archived = (List<Map<String, Object>>) ok(client.request(HttpMethod.GET,
                V3 + "/initialSync?archived=true", alice, null)).get("rooms");
        assertThat(archived).filteredOn(r -> left.equals(r.get("room_id")))
                .singleElement().satisfies(r -> assertThat(r).containsEntry("membership", "leave"));

        client.send(alice, joined, "three");
        assertThat(bodies(chunk(events(alice, "?timeout=0&from=" + all.get("end"))))).containsExactly("three");

        expectError(client.request(HttpMethod.GET, V3 + "/initialSync?limit=-1", alice, null), 400,
                "M_INVALID_PARAM");
        expectError(client.request(HttpMethod.GET, V3 + "/initialSync?archived=maybe", alice, null), 400,
                "M_INVALID_PARAM");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRoomsInitialSyncIsForMembersAndPeekers() {
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "initial_state", List.of(Map.of(
                "type", "m.room.history_visibility", "content", Map.of("history_visibility", "world_readable")))));
        client.send(alice, roomId, "hello");
        Map<String, Object> member = ok(client.request(HttpMethod.GET, V3 + "/rooms/" + roomId + "/initialSync",
                alice, null));
        assertThat(member).containsEntry("room_id", roomId).containsEntry("membership", "join")
                .containsEntry("visibility", "private").containsKeys("state", "account_data");
        Map<String, Object> messages = (Map<String, Object>) member.get("messages");
        List<Map<String, Object>> chunk = (List<Map<String, Object>>) messages.get("chunk");
        assertThat(bodies(chunk)).containsExactly("hello");
        assertThat(chunk.get(0).get("type")).isEqualTo("m.room.create");

        client.send(alice, roomId, "after");
        Map<String, Object> after = ok(client.request(HttpMethod.GET, V3 + "/rooms/" + roomId + "/messages?dir=f&from="
                + messages.get("end"), alice, null));
        assertThat(bodies((List<Map<String, Object>>) after.get("chunk"))).containsExactly("after");

        Map<String, Object> peek = ok(client.request(HttpMethod.GET, V3 + "/rooms/" + roomId + "/initialSync",
                bob, null));
        assertThat(peek).containsEntry("room_id", roomId).doesNotContainKey("membership");

        String closed = client.createRoom(alice, Map.of());
        expectError(client.request(HttpMethod.GET, V3 + "/rooms/" + closed + "/initialSync", bob, null), 403,
                "M_FORBIDDEN");
        expectError(client.request(HttpMethod.GET, V3 + "/rooms/nope/initialSync", bob, null), 400,
                "M_INVALID_PARAM");
    }
}
