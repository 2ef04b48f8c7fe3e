package org.myelin.homeserver.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.slidingsync.SlidingClient.at;
import static org.myelin.homeserver.slidingsync.SlidingClient.bodies;
import static org.myelin.homeserver.slidingsync.SlidingClient.keys;
import static org.myelin.homeserver.slidingsync.SlidingClient.list;
import static org.myelin.homeserver.slidingsync.SlidingClient.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Simplified sliding sync (MSC4186) through the real server: lists, ordering, windows and counts, incremental
 * responses, long-polls, required_state and its deltas, filters, room subscriptions, invites and leaves,
 * extensions, and the failures of a bad request.
 */
class SlidingSyncIT extends HomeserverIT {

    private static final List<List<String>> NAME_AND_MEMBERS = List.of(List.of("m.room.name", ""),
            List.of("m.room.member", "*"));

    @Autowired
    private LongPoll longPoll;

    private SlidingClient client;

    @BeforeEach
    void client() {
        client = new SlidingClient(http);
    }

    @Test
    void versionsShouldAdvertiseIt() {
        Map<String, Object> versions = ok(get("/_matrix/client/versions", null));
        assertThat((Map<String, Object>) at(versions, "unstable_features"))
                .containsEntry("org.matrix.simplified_msc3575", true);
    }

    @Test
    void aListShouldSendTheMostRecentRoomsOfItsWindowWithTheirCount() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String first = client.createRoom(alice, Map.of("name", "First"));
        String second = client.createRoom(alice, Map.of("name", "Second"));
        String third = client.createRoom(alice, Map.of("name", "Third"));
        client.send(alice, second, "second is the most recent");

        Map<String, Object> sync = client.sync(alice, lists(Map.of("all",
                list(List.of(List.of(0, 1)), 1, NAME_AND_MEMBERS, null))), null, null);

        assertThat((String) sync.get("pos")).matches("\\d+/s.+");
        assertThat((Integer) at(sync, "lists", "all", "count")).isEqualTo(3);
        Map<String, Object> rooms = at(sync, "rooms");
        assertThat(rooms).containsOnlyKeys(second, third);
        Map<String, Object> room = at(rooms, second);
        assertThat(room).containsEntry("name", "Second").containsEntry("initial", true)
                .containsEntry("joined_count", 1).containsEntry("invited_count", 0)
                .containsEntry("notification_count", 0).containsEntry("highlight_count", 0)
                .containsEntry("limited", true).containsEntry("num_live", 0).containsKeys("prev_batch", "bump_stamp");
        assertThat(bodies(room.get("timeline"))).containsExactly("second is the most recent");
        assertThat(keys(room.get("required_state"))).containsExactlyInAnyOrder("m.room.name|",
                "m.room.member|" + alice.userId());
        List<Map<String, Object>> timeline = at(room, "timeline");
        assertThat(timeline.get(0)).containsKeys("event_id", "sender", "type", "content", "origin_server_ts")
                .doesNotContainKeys("room_id", "signatures", "hashes");
        assertThat(((Number) room.get("bump_stamp")).longValue())
                .isGreaterThan(((Number) at(rooms, third, "bump_stamp")).longValue());
        assertThat(first).isNotIn(rooms.keySet());
    }

    @Test
    void anIncrementalResponseShouldSendOnlyTheRoomsThatChanged() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String quiet = client.createRoom(alice, Map.of("name", "Quiet"));
        String busy = client.createRoom(alice, Map.of("name", "Busy"));
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 5, NAME_AND_MEMBERS, null)));
        String pos = (String) client.sync(alice, body, null, null).get("pos");

        Map<String, Object> nothing = client.sync(alice, body, pos, 0L);
        assertThat((Map<String, Object>) at(nothing, "rooms")).isEmpty();

        client.send(alice, busy, "news");
        Map<String, Object> sync = client.sync(alice, body, pos, 0L);

        Map<String, Object> room = at(sync, "rooms", busy);
        assertThat((Map<String, Object>) at(sync, "rooms")).containsOnlyKeys(busy);
        assertThat(room).doesNotContainKeys("initial", "name", "required_state").containsEntry("num_live", 1)
                .containsEntry("limited", false);
        assertThat(bodies(room.get("timeline"))).containsExactly("news");
        assertThat(quiet).isNotEqualTo(busy);
    }

    @Test
    void aLongPollShouldAnswerWhenAMessageArrives() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)));
        String pos = (String) client.sync(bob, body, null, null).get("pos");

        int parked = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> client.sync(bob, body, pos, 20_000L));
        awaitCondition(() -> longPoll.parked() > parked, "bob's sliding sync to be parked");
        assertThat(poll).isNotDone();
        client.send(alice, roomId, "wake up");

        Map<String, Object> woken = poll.get(10, TimeUnit.SECONDS);
        assertThat(bodies(at(woken, "rooms", roomId, "timeline"))).containsExactly("wake up");
        assertThat((String) woken.get("pos")).isNotEqualTo(pos);
    }

    @Test
    void aTimedOutLongPollShouldAnswerEmptyWithAFreshPos() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        client.createRoom(alice, Map.of());
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)));
        String pos = (String) client.sync(alice, body, null, null).get("pos");

        Map<String, Object> empty = client.sync(alice, body, pos, 100L);

        assertThat((Map<String, Object>) at(empty, "rooms")).isEmpty();
        assertThat((Integer) at(empty, "lists", "all", "count")).isEqualTo(1);
        assertThat(empty).containsKeys("pos", "extensions");
    }

    @Test
    void aRoomRisingIntoTheWindowShouldBeSentAndOneOutsideOnlyCounted() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String old = client.createRoom(alice, Map.of("name", "Old", "preset", "trusted_private_chat"));
        String recent = client.createRoom(alice, Map.of("name", "Recent"));
        client.membership(alice, old, "invite", Map.of("user_id", bob.userId()));
        client.membership(bob, old, "join", Map.of());
        client.send(alice, recent, "on top");
        Map<String, Object> body = lists(Map.of("top", list(List.of(List.of(0, 0)), 1, List.of(), null),
                "dms", list(List.of(List.of(0, 0)), 1, List.of(), Map.of("is_dm", true))));
        Map<String, Object> initial = client.sync(alice, body, null, null);
        assertThat((Map<String, Object>) at(initial, "rooms")).containsOnlyKeys(recent);
        assertThat((Integer) at(initial, "lists", "dms", "count")).isZero();

        // m.direct names the old room: the DM list counts it, and its window sends it.
        client.accountData(alice, "m.direct", Map.of(bob.userId(), List.of(old)));
        Map<String, Object> counted = client.sync(alice, body, (String) initial.get("pos"), 0L);
        assertThat((Integer) at(counted, "lists", "dms", "count")).isEqualTo(1);
        assertThat((Map<String, Object>) at(counted, "rooms", old)).containsEntry("is_dm", true)
                .containsEntry("initial", true);

        // A message in the old room lifts it into the top list's window.
        client.send(bob, old, "lift");
        Map<String, Object> lifted = client.sync(alice, body, (String) counted.get("pos"), 0L);
        assertThat((Map<String, Object>) at(lifted, "rooms")).containsOnlyKeys(old);
        assertThat(bodies(at(lifted, "rooms", old, "timeline"))).containsExactly("lift");

        // The recent room, now outside the window, changes: not sent; back in the window it comes with its news.
        client.send(alice, recent, "while away");
        client.send(bob, old, "stay on top");
        Map<String, Object> away = client.sync(alice, body, (String) lifted.get("pos"), 0L);
        assertThat((Map<String, Object>) at(away, "rooms")).containsOnlyKeys(old);
        Map<String, Object> wide = lists(Map.of("top", list(List.of(List.of(0, 1)), 1, List.of(), null),
                "dms", list(List.of(List.of(0, 0)), 1, List.of(), Map.of("is_dm", true))));
        Map<String, Object> back = client.sync(alice, wide, (String) away.get("pos"), 0L);
        assertThat((Map<String, Object>) at(back, "rooms")).containsOnlyKeys(recent);
        assertThat((Map<String, Object>) at(back, "rooms", recent)).doesNotContainKey("initial");
        assertThat(bodies(at(back, "rooms", recent, "timeline"))).containsExactly("while away");
    }

    @Test
    void unreadCountsShouldRiseWithMessagesAndMentionsAndResetWithAReadReceipt() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)));
        Map<String, Object> first = client.sync(bob, body, null, null);
        assertThat((Map<String, Object>) at(first, "rooms", roomId)).containsEntry("notification_count", 0)
                .containsEntry("highlight_count", 0);

        client.send(alice, roomId, "a message notifies");
        Map<String, Object> notified = untilCounts(bob, body, (String) first.get("pos"), roomId, 1, 0);
        String mention = client.send(alice, roomId, Map.of("msgtype", "m.text", "body", "hey bob",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        Map<String, Object> highlighted = untilCounts(bob, body, (String) notified.get("pos"), roomId, 2, 1);
        Map<String, Object> fresh = client.sync(bob, Map.of("conn_id", "fresh", "lists", body.get("lists")), null,
                null);
        assertThat((Map<String, Object>) at(fresh, "rooms", roomId)).containsEntry("notification_count", 2)
                .containsEntry("highlight_count", 1);

        // The read receipt wakes a waiting request, which sends the room with its counts reset and nothing else.
        String pos = (String) highlighted.get("pos");
        int parked = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> client.sync(bob, body, pos, 20_000L));
        awaitCondition(() -> longPoll.parked() > parked, "bob's sliding sync to be parked");
        client.receipt(bob, roomId, mention);
        Map<String, Object> read = at(poll.get(10, TimeUnit.SECONDS), "rooms", roomId);
        assertThat(read).containsEntry("notification_count", 0).containsEntry("highlight_count", 0)
                .doesNotContainKeys("timeline", "initial");
    }

    /** Follows the connection from {@code pos} until the room comes with the counts; that response. */
    private Map<String, Object> untilCounts(Session session, Map<String, Object> body, String pos, String roomId,
            int notifications, int highlights) throws InterruptedException {
        AtomicReference<String> at = new AtomicReference<>(pos);
        AtomicReference<Map<String, Object>> last = new AtomicReference<>();
        awaitCondition(() -> {
            Map<String, Object> sync = client.sync(session, body, at.get(), 1_000L);
            at.set((String) sync.get("pos"));
            Map<String, Object> room = at(sync, "rooms", roomId);
            last.set(sync);
            return room != null && Integer.valueOf(notifications).equals(room.get("notification_count"))
                    && Integer.valueOf(highlights).equals(room.get("highlight_count"));
        }, "counts " + notifications + "/" + highlights + " in " + roomId);
        return last.get();
    }

    @Test
    void aChangeOutsideTheWindowShouldOnlyUpdateTheCountAndOnlyBumpEventsReorder() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String older = client.createRoom(bob, Map.of("preset", "public_chat", "name", "Older"));
        client.send(bob, older, "old news");
        String top = client.createRoom(alice, Map.of("name", "Top"));
        Map<String, Object> body = lists(Map.of("top", list(List.of(List.of(0, 0)), 1, List.of(), null)));
        Map<String, Object> first = client.sync(alice, body, null, null);
        assertThat((Map<String, Object>) at(first, "rooms")).containsOnlyKeys(top);

        // Joining a room whose latest bump event is older than the window's: the count changes, nothing is sent.
        String pos = (String) first.get("pos");
        int parked = longPoll.parked();
        CompletableFuture<Map<String, Object>> poll = CompletableFuture.supplyAsync(
                () -> client.sync(alice, body, pos, 20_000L));
        awaitCondition(() -> longPoll.parked() > parked, "alice's sliding sync to be parked");
        client.membership(alice, older, "join", Map.of());
        Map<String, Object> counted = poll.get(10, TimeUnit.SECONDS);
        assertThat((Integer) at(counted, "lists", "top", "count")).isEqualTo(2);
        assertThat((Map<String, Object>) at(counted, "rooms")).isEmpty();
        assertThat(window(counted, "top")).containsExactly(top);

        // A state event is not a bump event: the room stays below; a message lifts it.
        client.state(bob, older, "m.room.topic", "", Map.of("topic", "not a bump"));
        client.send(alice, top, "top stays on top");
        Map<String, Object> topic = client.sync(alice, body, (String) counted.get("pos"), 0L);
        assertThat(window(topic, "top")).containsExactly(top);
        assertThat((Map<String, Object>) at(topic, "rooms")).containsOnlyKeys(top);
        client.send(bob, older, "a bump");
        Map<String, Object> lifted = client.sync(alice, body, (String) topic.get("pos"), 0L);
        assertThat(window(lifted, "top")).containsExactly(older);
        assertThat((Map<String, Object>) at(lifted, "rooms", older)).containsEntry("initial", true)
                .containsEntry("name", "Older");
        assertThat(((Number) at(lifted, "rooms", older, "bump_stamp")).longValue())
                .isGreaterThan(((Number) at(topic, "rooms", top, "bump_stamp")).longValue());
    }

    @Test
    void requiredStateShouldResolveMeWildcardsAndLazyMembers() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Lazy", "topic", "t"));
        client.membership(bob, roomId, "join", Map.of());
        client.membership(carol, roomId, "join", Map.of());
        client.send(bob, roomId, "bob speaks");

        Map<String, Object> lazy = client.sync(alice, lists(Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(List.of("m.room.member", "$LAZY"), List.of("m.room.member", "$ME"),
                        List.of("m.room.topic", "*")), null))), null, null);
        assertThat(keys(at(lazy, "rooms", roomId, "required_state"))).containsExactlyInAnyOrder(
                "m.room.member|" + bob.userId(), "m.room.member|" + alice.userId(), "m.room.topic|");

        Map<String, Object> everything = client.sync(alice, lists(Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(List.of("*", "*")), null))), null, null);
        assertThat(keys(at(everything, "rooms", roomId, "required_state"))).contains("m.room.create|",
                "m.room.power_levels|", "m.room.member|" + carol.userId(), "m.room.member|" + bob.userId());

        Map<String, Object> allButMembers = client.sync(alice, Map.of("conn_id", "other", "lists", Map.of("l",
                list(List.of(List.of(0, 0)), 1, List.of(List.of("*", "*"), List.of("m.room.member", "$LAZY")),
                        null))), null, null);
        assertThat(keys(at(allButMembers, "rooms", roomId, "required_state"))).contains("m.room.create|",
                "m.room.member|" + bob.userId()).doesNotContain("m.room.member|" + carol.userId());
    }

    @Test
    void requiredStateShouldSendDeltasAndWhatAWiderConfigAdds() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of("name", "Before", "topic", "old topic"));
        Map<String, Object> narrow = lists(Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(List.of("m.room.topic", ""), List.of("m.room.name", "")), null)));
        String pos = (String) client.sync(alice, narrow, null, null).get("pos");

        client.state(alice, roomId, "m.room.topic", "", Map.of("topic", "new topic"));
        Map<String, Object> delta = client.sync(alice, narrow, pos, 0L);
        Map<String, Object> room = at(delta, "rooms", roomId);
        assertThat(keys(room.get("required_state"))).containsExactly("m.room.topic|");
        assertThat(room).doesNotContainKeys("name", "initial");

        client.state(alice, roomId, "m.room.name", "", Map.of("name", "After"));
        client.state(alice, roomId, "m.room.avatar", "", Map.of("url", "mxc://test.local/avatar"));
        Map<String, Object> renamed = client.sync(alice, narrow, (String) delta.get("pos"), 0L);
        assertThat((Map<String, Object>) at(renamed, "rooms", roomId)).containsEntry("name", "After")
                .containsEntry("avatar", "mxc://test.local/avatar");
        Map<String, Object> fresh = client.sync(alice, Map.of("conn_id", "fresh", "lists", narrow.get("lists")), null,
                null);
        assertThat((Map<String, Object>) at(fresh, "rooms", roomId)).containsEntry("initial", true)
                .containsEntry("name", "After").containsEntry("avatar", "mxc://test.local/avatar");

        Map<String, Object> wider = lists(Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(List.of("m.room.topic", ""), List.of("m.room.name", ""), List.of("m.room.create", "")),
                null)));
        Map<String, Object> widened = client.sync(alice, wider, (String) renamed.get("pos"), 0L);
        assertThat(keys(at(widened, "rooms", roomId, "required_state"))).containsExactly("m.room.create|");
    }

    @Test
    void aLargerTimelineLimitShouldResendTheLatestEvents() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        client.send(alice, roomId, "one");
        client.send(alice, roomId, "two");
        client.send(alice, roomId, "three");
        String pos = (String) client.sync(alice, lists(Map.of("l", list(List.of(List.of(0, 0)), 1, List.of(),
                null))), null, null).get("pos");

        Map<String, Object> more = client.sync(alice, lists(Map.of("l", list(List.of(List.of(0, 0)), 3, List.of(),
                null))), pos, 0L);

        Map<String, Object> room = at(more, "rooms", roomId);
        assertThat(room).containsEntry("unstable_expanded_timeline", true).doesNotContainKey("initial");
        assertThat(bodies(room.get("timeline"))).containsExactly("one", "two", "three");
    }

    @Test
    void filtersShouldPickTheirRooms() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String plain = client.createRoom(alice, Map.of("name", "Plain"));
        String encrypted = client.createRoom(alice, Map.of("initial_state", List.of(Map.of("type",
                "m.room.encryption", "state_key", "", "content", Map.of("algorithm", "m.megolm.v1.aes-sha2")))));
        String space = client.createRoom(alice, Map.of("creation_content", Map.of("type", "m.space")));
        String child = client.createRoom(alice, Map.of("name", "Child"));
        client.state(alice, space, "m.space.child", child, Map.of("via", List.of("test.local")));
        String favourite = client.createRoom(alice, Map.of("name", "Favourite"));
        client.tag(alice, favourite, "m.favourite");
        String invite = client.createRoom(bob, Map.of());
        client.membership(bob, invite, "invite", Map.of("user_id", alice.userId()));
        String dm = client.createRoom(alice, Map.of("name", "DM"));
        client.accountData(alice, "m.direct", Map.of(bob.userId(), List.of(dm)));

        Map<String, Object> all = Map.of("ranges", List.of(List.of(0, 99)), "timeline_limit", 0,
                "required_state", List.of());
        Map<String, Object> body = new HashMap<>();
        body.put("encrypted", with(all, Map.of("is_encrypted", true)));
        body.put("spaces", with(all, Map.of("room_types", List.of("m.space"))));
        body.put("rooms", with(all, Map.of("not_room_types", List.of("m.space"), "is_invite", false)));
        body.put("untyped", with(all, Map.of("room_types", nullList())));
        body.put("children", with(all, Map.of("spaces", List.of(space))));
        body.put("favourites", with(all, Map.of("tags", List.of("m.favourite"))));
        body.put("untagged", with(all, Map.of("not_tags", List.of("m.favourite"), "is_invite", false)));
        body.put("invites", with(all, Map.of("is_invite", true)));
        body.put("dms", with(all, Map.of("is_dm", true)));
        body.put("not_dms", with(all, Map.of("is_dm", false, "is_invite", false)));

        Map<String, Object> sync = client.sync(alice, lists(body), null, null);

        assertThat(window(sync, "encrypted")).containsExactly(encrypted);
        assertThat(window(sync, "spaces")).containsExactly(space);
        assertThat(window(sync, "rooms")).containsExactlyInAnyOrder(plain, encrypted, child, favourite, dm);
        assertThat(window(sync, "untyped")).containsExactlyInAnyOrder(plain, encrypted, child, favourite, dm,
                invite);
        assertThat(window(sync, "children")).containsExactly(child);
        assertThat(window(sync, "favourites")).containsExactly(favourite);
        assertThat(window(sync, "untagged")).containsExactlyInAnyOrder(plain, encrypted, space, child, dm);
        assertThat(window(sync, "invites")).containsExactly(invite);
        assertThat(window(sync, "dms")).containsExactly(dm);
        assertThat(window(sync, "not_dms")).containsExactlyInAnyOrder(plain, encrypted, space, child, favourite);
        assertThat((Map<String, Object>) at(sync, "rooms", dm)).containsEntry("is_dm", true);
    }

    @Test
    void aSubscriptionShouldSendItsRoomWithItsConfigOnlyIfTheUserIsIn() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String subscribed = client.createRoom(alice, Map.of("name", "Open room"));
        client.send(alice, subscribed, "one");
        client.send(alice, subscribed, "two");
        client.createRoom(alice, Map.of("name", "Newer"));
        String foreign = client.createRoom(bob, Map.of());

        Map<String, Object> sync = client.sync(alice, Map.of(
                "lists", Map.of("top", list(List.of(List.of(0, 0)), 1, List.of(), null)),
                "room_subscriptions", Map.of(
                        subscribed, Map.of("timeline_limit", 2, "required_state", List.of(List.of("*", "*"))),
                        foreign, Map.of("timeline_limit", 2, "required_state", List.of()))), null, null);

        Map<String, Object> room = at(sync, "rooms", subscribed);
        assertThat(bodies(room.get("timeline"))).containsExactly("one", "two");
        assertThat(keys(room.get("required_state"))).contains("m.room.create|", "m.room.name|");
        assertThat((Map<String, Object>) at(sync, "rooms")).hasSize(2).doesNotContainKey(foreign);
    }

    @Test
    void anInviteShouldCarryItsStrippedStateAndALeaveItsLastEvent() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("name", "Invited"));
        client.membership(alice, roomId, "invite", Map.of("user_id", bob.userId()));
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 5, NAME_AND_MEMBERS, null)));

        Map<String, Object> invited = client.sync(bob, body, null, null);
        Map<String, Object> room = at(invited, "rooms", roomId);
        assertThat(keys(room.get("invite_state"))).contains("m.room.create|", "m.room.name|",
                "m.room.member|" + bob.userId());
        assertThat(room).doesNotContainKeys("timeline", "required_state").containsEntry("initial", true);

        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> joined = client.sync(bob, body, (String) invited.get("pos"), 0L);
        assertThat((Map<String, Object>) at(joined, "rooms", roomId)).containsEntry("initial", true)
                .containsEntry("name", "Invited").containsEntry("joined_count", 2);

        client.membership(bob, roomId, "leave", Map.of());
        Map<String, Object> left = client.sync(bob, body, (String) joined.get("pos"), 0L);
        List<Map<String, Object>> timeline = at(left, "rooms", roomId, "timeline");
        assertThat(keys(timeline)).containsExactly("m.room.member|" + bob.userId());
        assertThat((Integer) at(left, "lists", "all", "count")).isEqualTo(1);

        Map<String, Object> later = client.sync(bob, body, (String) left.get("pos"), 0L);
        assertThat((Integer) at(later, "lists", "all", "count")).isZero();
    }

    @Test
    void aKickShouldStayListedAndAnUnnamedRoomHaveHeroes() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        ok(client.write(HttpMethod.PUT, SlidingClient.V3 + "/profile/" + bob.userId() + "/displayname", bob,
                Map.of("displayname", "Bobby")));
        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> body = lists(Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)));

        Map<String, Object> heroes = client.sync(alice, body, null, null);
        assertThat((List<Map<String, Object>>) at(heroes, "rooms", roomId, "heroes")).containsExactly(
                Map.of("user_id", bob.userId(), "displayname", "Bobby"));

        client.membership(alice, roomId, "kick", Map.of("user_id", bob.userId()));
        Map<String, Object> kicked = client.sync(bob, body, null, null);
        assertThat((Integer) at(kicked, "lists", "all", "count")).isEqualTo(1);
        assertThat(keys(at(kicked, "rooms", roomId, "timeline"))).containsExactly("m.room.member|" + bob.userId());
    }

    @Test
    void extensionsShouldCarryToDeviceKeysAccountDataReceiptsAndTyping() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String event = client.send(bob, roomId, "read me");
        client.toDevice(bob, alice, "m.test", Map.of("n", 1));
        client.uploadOneTimeKeys(alice, 3);
        client.accountData(alice, "org.example.global", Map.of("g", 1));
        client.roomAccountData(alice, roomId, "org.example.room", Map.of("r", 1));
        client.receipt(bob, roomId, event);
        client.typing(bob, roomId);
        Map<String, Object> extensions = Map.of(
                "to_device", Map.of("enabled", true),
                "e2ee", Map.of("enabled", true),
                "account_data", Map.of("enabled", true),
                "receipts", Map.of("enabled", true),
                "typing", Map.of("enabled", true));
        Map<String, Object> body = Map.of("lists", Map.of("all", list(List.of(List.of(0, 9)), 1, List.of(), null)),
                "extensions", extensions);

        Map<String, Object> sync = client.sync(alice, body, null, null);

        List<Map<String, Object>> messages = at(sync, "extensions", "to_device", "events");
        assertThat(messages).singleElement().satisfies(m -> assertThat(m).containsEntry("type", "m.test")
                .containsEntry("sender", bob.userId()));
        String nextBatch = at(sync, "extensions", "to_device", "next_batch");
        assertThat((Map<String, Object>) at(sync, "extensions", "e2ee", "device_one_time_keys_count"))
                .containsEntry("signed_curve25519", 3);
        assertThat((Map<String, Object>) at(sync, "extensions", "e2ee")).doesNotContainKey("device_lists");
        assertThat(keys(at(sync, "extensions", "account_data", "global"))).contains("org.example.global|null");
        assertThat(keys(at(sync, "extensions", "account_data", "rooms", roomId))).containsExactly(
                "org.example.room|null");
        assertThat((Map<String, Object>) at(sync, "extensions", "receipts", "rooms", roomId, "content", event))
                .containsKey("m.read");
        assertThat((List<String>) at(sync, "extensions", "typing", "rooms", roomId, "content", "user_ids"))
                .containsExactly(bob.userId());

        // Coming back with next_batch acknowledges (and deletes) the message; a new key upload shows in device_lists.
        Map<String, Object> again = new HashMap<>(body);
        again.put("extensions", Map.of("to_device", Map.of("enabled", true, "since", nextBatch),
                "e2ee", Map.of("enabled", true)));
        Map<String, Object> next = client.sync(alice, again, (String) sync.get("pos"), 0L);
        assertThat((List<?>) at(next, "extensions", "to_device", "events")).isEmpty();
        assertThat((Map<String, Object>) at(next, "extensions", "e2ee", "device_lists")).containsKeys("changed",
                "left");
        Map<String, Object> replay = client.sync(alice, Map.of("extensions", Map.of("to_device",
                Map.of("enabled", true))), null, null);
        assertThat((List<?>) at(replay, "extensions", "to_device", "events")).isEmpty();
    }

    @Test
    void connectionsShouldBeKeptApartByConnId() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        Map<String, Object> main = Map.of("conn_id", "main", "lists", Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(), null)));
        Map<String, Object> other = Map.of("conn_id", "other", "lists", Map.of("l", list(List.of(List.of(0, 0)), 1,
                List.of(), null)));
        String mainPos = (String) client.sync(alice, main, null, null).get("pos");

        expectError(client.request(alice, other, mainPos, 0L), 400, "M_UNKNOWN_POS");
        Map<String, Object> fresh = client.sync(alice, other, null, null);
        assertThat((Map<String, Object>) at(fresh, "rooms")).containsOnlyKeys(roomId);
        assertThat((Map<String, Object>) at(client.sync(alice, main, mainPos, 0L), "rooms")).isEmpty();
    }

    @Test
    void aPosShouldBeRetriableUntilAnotherResponseOfItsConnectionIsUsed() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        client.createRoom(alice, Map.of("name", "A"));
        Map<String, Object> body = lists(Map.of("l", list(List.of(List.of(0, 9)), 1, List.of(), null)));
        String first = (String) client.sync(alice, body, null, null).get("pos");
        String roomB = client.createRoom(alice, Map.of("name", "B"));

        Map<String, Object> lost = client.sync(alice, body, first, 0L);
        assertThat((Map<String, Object>) at(lost, "rooms")).containsOnlyKeys(roomB);
        // The client never saw that response and retries its pos: the same room again, as new.
        Map<String, Object> retried = client.sync(alice, body, first, 0L);
        assertThat((Map<String, Object>) at(retried, "rooms", roomB)).containsEntry("initial", true);

        expectError(client.request(alice, body, (String) lost.get("pos"), 0L), 400, "M_UNKNOWN_POS");
        assertThat((Map<String, Object>) at(client.sync(alice, body, (String) retried.get("pos"), 0L), "rooms"))
                .isEmpty();
    }

    @Test
    void badRequestsShouldBeRefusedWithTheirErrcode() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Map<String, Object> valid = lists(Map.of("l", list(List.of(List.of(0, 0)), 1, List.of(), null)));
        String alicePos = (String) client.sync(alice, valid, null, null).get("pos");

        expectError(client.request(null, valid, null, null), 401, "M_MISSING_TOKEN");
        expectError(client.request(alice, "{not json", null, null), 400, "M_NOT_JSON");
        expectError(client.request(alice, Map.of("lists", List.of()), null, null), 400, "M_BAD_JSON");
        expectError(client.request(alice, lists(Map.of("l", Map.of("ranges", List.of(List.of(0, 1)),
                "required_state", List.of()))), null, null), 400, "M_MISSING_PARAM");
        expectError(client.request(alice, lists(Map.of("l", Map.of("ranges", List.of(List.of(0, 1)),
                "timeline_limit", 1))), null, null), 400, "M_MISSING_PARAM");
        expectError(client.request(alice, lists(Map.of("l", list(List.of(List.of(0, 1)), 1001, List.of(),
                null))), null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, lists(Map.of("l", list(List.of(List.of(5, 1)), 1, List.of(), null))),
                null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, lists(Map.of("l", list(List.of(List.of(-1, 1)), 1, List.of(), null))),
                null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, lists(Map.of("l", list(List.of(List.of(0, 1)), 1,
                List.of(List.of("m.room.name")), null))), null, null), 400, "M_BAD_JSON");
        expectError(client.request(alice, lists(Map.of("l", list(List.of(List.of(0, 1)), 1, List.of(),
                Map.of("is_dm", "yes")))), null, null), 400, "M_BAD_JSON");
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= 100; i++) {
            many.put("l" + i, list(List.of(List.of(0, 0)), 1, List.of(), null));
        }
        expectError(client.request(alice, lists(many), null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, Map.of("room_subscriptions", Map.of("not-a-room", Map.of(
                "timeline_limit", 1, "required_state", List.of()))), null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, Map.of("extensions", Map.of("to_device", Map.of("enabled", true,
                "since", "abc"))), null, null), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, valid, null, -1L), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, valid, "garbage", 0L), 400, "M_INVALID_PARAM");
        expectError(client.request(alice, valid, "999999/sevents-1", 0L), 400, "M_UNKNOWN_POS");
        expectError(client.request(bob, valid, alicePos, 0L), 400, "M_UNKNOWN_POS");
        expectError(get(SlidingClient.PATH, alice.accessToken()), 405, "M_UNRECOGNIZED");
    }

    private static Map<String, Object> with(Map<String, Object> list, Map<String, Object> filters) {
        Map<String, Object> out = new HashMap<>(list);
        out.put("filters", filters);
        return out;
    }

    private static List<String> nullList() {
        List<String> list = new ArrayList<>();
        list.add(null);
        return list;
    }

    /** The room IDs of a list's first range ({@code ops}, as Synapse answers them). */
    private static List<String> window(Map<String, Object> sync, String list) {
        List<Map<String, Object>> ops = at(sync, "lists", list, "ops");
        assertThat(ops).singleElement().satisfies(op -> assertThat(op).containsEntry("op", "SYNC"));
        return at(ops.get(0), "room_ids");
    }
}
