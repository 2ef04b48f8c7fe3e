package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;
import static org.myelin.homeserver.sync.SyncClient.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.springframework.beans.factory.annotation.Autowired;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** GET /sync through the real server: shapes, incremental syncs, gaps, sections, lazy loading and filters. */
class SyncIT extends HomeserverIT {

    private static final Logger LOG = LoggerFactory.getLogger(SyncIT.class);

    @Autowired
    private LongPoll longPoll;

    private SyncClient client;

    @BeforeEach
    void client() {
        client = new SyncClient(http);
    }

    @Test
    void initialSyncShouldHaveTheSpecShape() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of("name", "Tea"));
        client.send(alice, roomId, "hello");

        Map<String, Object> sync = client.sync(alice);

        assertThat((String) sync.get("next_batch")).isNotBlank();
        assertThat(sync).containsKeys("account_data", "presence", "to_device", "device_lists",
                "device_one_time_keys_count", "device_unused_fallback_key_types");
        assertThat(at(sync, "rooms")).containsKeys("join", "invite", "leave", "knock");
        Map<String, Object> room = at(sync, "rooms", "join", roomId);
        assertThat(bodies(events(at(room, "timeline")))).containsExactly("hello");
        assertThat(at(room, "timeline")).containsKeys("limited", "prev_batch");
        assertThat(events(at(room, "timeline"))).allSatisfy(e -> assertThat(e).containsKeys("event_id", "sender",
                "type", "content", "origin_server_ts").doesNotContainKeys("room_id", "signatures", "hashes"));
        List<String> stateAndTimeline = new ArrayList<>(keys(events(at(room, "state"))));
        stateAndTimeline.addAll(keys(events(at(room, "timeline"))));
        assertThat(stateAndTimeline).contains("m.room.create|", "m.room.name|", "m.room.member|" + alice.userId(),
                "m.room.power_levels|");
        assertThat(at(room, "summary")).containsEntry("m.joined_member_count", 1)
                .containsEntry("m.invited_member_count", 0).doesNotContainKey("m.heroes");
        assertThat(at(room, "unread_notifications")).containsEntry("highlight_count", 0)
                .containsEntry("notification_count", 0);
    }

    @Test
    void incrementalSyncShouldReturnOnlyWhatIsNew() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.send(alice, roomId, "before");
        String since = (String) client.sync(alice).get("next_batch");

        client.membership(bob, roomId, "join", Map.of());
        client.send(bob, roomId, "new one");
        Map<String, Object> sync = client.sync(alice, "since", since);

        Map<String, Object> timeline = at(sync, "rooms", "join", roomId, "timeline");
        assertThat(keys(events(timeline))).containsExactly("m.room.member|" + bob.userId(), "m.room.message|null");
        assertThat(bodies(events(timeline))).containsExactly("new one");
        assertThat(timeline).containsEntry("limited", false);
        assertThat(events(at(sync, "rooms", "join", roomId, "state"))).isEmpty();
        assertThat(at(sync, "rooms", "join", roomId, "summary")).containsEntry("m.joined_member_count", 2)
                .containsEntry("m.heroes", List.of(bob.userId()));

        Map<String, Object> again = client.sync(alice, "since", (String) sync.get("next_batch"));
        assertThat(at(again, "rooms", "join")).isEmpty();
    }

    @Test
    void limitedTimelineShouldHandOutAPrevBatchThatMessagesContinuesFrom() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        String since = (String) client.sync(alice).get("next_batch");
        for (int i = 1; i <= 8; i++) {
            client.send(alice, roomId, "m" + i);
        }
        String filter = "{\"room\":{\"timeline\":{\"limit\":3}}}";

        Map<String, Object> timeline = at(client.sync(alice, "since", since, "filter", filter),
                "rooms", "join", roomId, "timeline");

        assertThat(bodies(events(timeline))).containsExactly("m6", "m7", "m8");
        assertThat(timeline).containsEntry("limited", true);
        Map<String, Object> page = SyncClient.ok(client.request(HttpMethod.GET, SyncClient.V3 + "/rooms/" + roomId
                + "/messages?dir=b&limit=3&from=" + timeline.get("prev_batch"), alice, null));
        assertThat(bodies(SyncClient.events(Map.of("events", page.get("chunk"))))).containsExactly("m5", "m4", "m3");
    }

    @Test
    void stateChangedDuringAGapShouldAppearInState() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        client.state(alice, roomId, "m.room.topic", Map.of("topic", "old"));
        String since = (String) client.sync(alice).get("next_batch");
        client.state(alice, roomId, "m.room.topic", Map.of("topic", "new"));
        for (int i = 1; i <= 4; i++) {
            client.send(alice, roomId, "m" + i);
        }
        String filter = "{\"room\":{\"timeline\":{\"limit\":2}}}";

        Map<String, Object> room = at(client.sync(alice, "since", since, "filter", filter),
                "rooms", "join", roomId);

        assertThat(at(room, "timeline")).containsEntry("limited", true);
        assertThat(bodies(events(at(room, "timeline")))).containsExactly("m3", "m4");
        List<Map<String, Object>> state = events(at(room, "state"));
        assertThat(keys(state)).containsExactly("m.room.topic|");
        assertThat(at(state.get(0), "content")).containsEntry("topic", "new");
    }

    @Test
    void invitesLeavesAndKnocksShouldHaveTheirSections() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = client.createRoom(alice, Map.of("name", "Secret"));
        String bobSince = (String) client.sync(bob).get("next_batch");

        client.membership(alice, roomId, "invite", Map.of("user_id", bob.userId()));
        Map<String, Object> invited = client.sync(bob, "since", bobSince);
        List<Map<String, Object>> inviteState = events(at(invited, "rooms", "invite", roomId, "invite_state"));
        assertThat(keys(inviteState)).contains("m.room.create|", "m.room.name|", "m.room.join_rules|",
                "m.room.member|" + bob.userId());
        assertThat(inviteState.subList(0, inviteState.size() - 1)).allSatisfy(e -> assertThat(e.keySet())
                .containsExactlyInAnyOrder("type", "state_key", "content", "sender"));
        Map<String, Object> invite = inviteState.get(inviteState.size() - 1);
        assertThat(invite).containsEntry("type", "m.room.member").containsEntry("state_key", bob.userId())
                .containsEntry("sender", alice.userId()).containsKeys("event_id", "origin_server_ts", "unsigned")
                .doesNotContainKey("room_id");
        assertThat((Long) ((Number) invite.get("origin_server_ts")).longValue()).isGreaterThan(0);

        client.membership(bob, roomId, "join", Map.of());
        String afterJoin = (String) client.sync(bob, "since", (String) invited.get("next_batch"))
                .get("next_batch");
        client.send(alice, roomId, "bye bob");
        client.membership(alice, roomId, "kick", Map.of("user_id", bob.userId()));
        client.send(alice, roomId, "after the kick");
        Map<String, Object> left = client.sync(bob, "since", afterJoin);
        Map<String, Object> leaveTimeline = at(left, "rooms", "leave", roomId, "timeline");
        assertThat(bodies(events(leaveTimeline))).containsExactly("bye bob");
        assertThat(keys(events(leaveTimeline))).endsWith("m.room.member|" + bob.userId());
        assertThat(at(left, "rooms", "join")).doesNotContainKey(roomId);
        assertThat(at(client.sync(bob), "rooms", "leave")).doesNotContainKey(roomId);
        assertThat(at(client.sync(bob, "filter", "{\"room\":{\"include_leave\":true}}"), "rooms", "leave"))
                .containsKey(roomId);

        client.state(alice, roomId, "m.room.join_rules", Map.of("join_rule", "knock"));
        client.knock(carol, roomId);
        List<Map<String, Object>> knockState = events(at(client.sync(carol), "rooms", "knock", roomId,
                "knock_state"));
        assertThat(keys(knockState)).contains("m.room.create|", "m.room.member|" + carol.userId());
    }

    @Test
    void lazyLoadingShouldSendOnlyTheTimelineSendersMembers() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Named"));
        client.membership(bob, roomId, "join", Map.of());
        client.membership(carol, roomId, "join", Map.of());
        client.send(bob, roomId, "from bob");
        String filter = "{\"room\":{\"timeline\":{\"limit\":1},\"state\":{\"lazy_load_members\":true}}}";

        Map<String, Object> room = at(client.sync(alice, "filter", filter), "rooms", "join", roomId);

        List<String> members = keys(events(at(room, "state"))).stream().filter(k -> k.startsWith("m.room.member"))
                .toList();
        assertThat(members).containsExactlyInAnyOrder("m.room.member|" + bob.userId(),
                "m.room.member|" + alice.userId());
        assertThat(keys(events(at(room, "state")))).contains("m.room.create|", "m.room.power_levels|");
        assertThat(at(room, "summary")).containsEntry("m.joined_member_count", 3);
    }

    @Test
    void filtersShouldApplyInlineAndStored() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String shown = client.createRoom(alice, Map.of());
        String hidden = client.createRoom(alice, Map.of());
        client.send(alice, shown, "one");
        client.send(alice, shown, "two");
        Map<String, Object> body = Map.of("event_fields", List.of("type", "content.body"), "room", Map.of(
                "not_rooms", List.of(hidden), "timeline", Map.of("limit", 1, "types", List.of("m.room.message"))));
        String filterId = (String) SyncClient.ok(client.request(HttpMethod.POST, SyncClient.V3 + "/user/"
                + alice.userId() + "/filter", alice, body)).get("filter_id");

        Map<String, Object> stored = client.sync(alice, "filter", filterId);
        Map<String, Object> inline = client.sync(alice, "filter", "{\"event_fields\":[\"type\",\"content.body\"],"
                + "\"room\":{\"not_rooms\":[\"" + hidden + "\"],"
                + "\"timeline\":{\"limit\":1,\"types\":[\"m.room.message\"]}}}");

        for (Map<String, Object> sync : List.of(stored, inline)) {
            assertThat(at(sync, "rooms", "join")).containsOnlyKeys(shown);
            List<Map<String, Object>> timeline = events(at(sync, "rooms", "join", shown, "timeline"));
            assertThat(timeline).containsExactly(Map.of("type", "m.room.message", "content", Map.of("body", "two")));
        }
        expectError(client.syncRequest(alice, "filter", "999999"), 400, "M_INVALID_PARAM");
    }

    @Test
    void badRequestsShouldFail() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(client.syncRequest(null), 401, "M_MISSING_TOKEN");
        expectError(client.syncRequest(alice, "since", "garbage"), 400, "M_INVALID_PARAM");
        expectError(client.syncRequest(alice, "since", "s1"), 400, "M_INVALID_PARAM");
        expectError(client.syncRequest(alice, "timeout", "soon"), 400, "M_INVALID_PARAM");
        expectError(client.syncRequest(alice, "full_state", "yes"), 400, "M_INVALID_PARAM");
    }

    @Test
    void unknownStreamsInTheTokenShouldBeIgnoredAndMissingOnesStartAtZero() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        client.send(alice, roomId, "hi");

        Map<String, Object> sync = client.sync(alice, "since", "sfuture_stream-5");

        assertThat(bodies(events(at(sync, "rooms", "join", roomId, "timeline")))).containsExactly("hi");
    }

    @Test
    void longPollShouldWakePromptlyWhenAnotherUserSends() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String since = client.settledToken(bob);
        int parkedBefore = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> client.sync(bob, "since", since, "timeout", "20000"));
        awaitCondition(() -> longPoll.parked() > parkedBefore, "bob's poll to be parked");
        assertThat(poll).isNotDone();

        long sent = System.nanoTime();
        client.send(alice, roomId, "wake up");
        Map<String, Object> woken = poll.get(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

        LOG.info("long-poll woke {} ms after the send request started", millis);
        assertThat(millis).isLessThan(5000);
        assertThat(bodies(events(at(woken, "rooms", "join", roomId, "timeline")))).containsExactly("wake up");
    }

    @Test
    void longPollShouldAnswerEmptyAtTheTimeoutWithAUsableToken() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String bobsRoom = client.createRoom(bob, Map.of());
        String since = client.settledToken(bob);
        String elsewhere = client.createRoom(alice, Map.of());

        long start = System.nanoTime();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> client.sync(bob, "since", since, "timeout", "1000"));
        client.send(alice, elsewhere, "not for bob");
        Map<String, Object> empty = poll.join();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(millis).isBetween(900L, 5000L);
        assertThat(at(empty, "rooms", "join")).isEmpty();
        String next = (String) empty.get("next_batch");
        assertThat(next).isNotBlank();
        client.send(bob, bobsRoom, "later");
        assertThat(bodies(events(at(client.sync(bob, "since", next), "rooms", "join", bobsRoom, "timeline"))))
                .containsExactly("later");
    }
}
