package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;
import static org.myelin.homeserver.sync.SyncClient.keys;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/**
 * The /sync and /messages behaviours of issue #10 §5: a newly joined room's history, invite_state, lazy-loaded
 * members across syncs, room summaries, prev_batch pagination, ignored users, and the first incremental sync
 * after an initial one.
 */
class SyncBehaviourIT extends HomeserverIT {

    private static final String LAZY = "{\"room\":{\"timeline\":{\"limit\":1},\"state\":{\"lazy_load_members\":true}}}";

    private SyncClient client;

    @BeforeEach
    void client() {
        client = new SyncClient(http);
    }

    @Test
    void acceptingAnInviteShouldBringTheRoomsHistoryStateAndPresenceAtOnce() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "private_chat", "name", "History"));
        for (int i = 1; i <= 8; i++) {
            client.send(alice, roomId, "m" + i);
        }
        client.settledToken(alice);
        String since = client.settledToken(bob);

        client.membership(alice, roomId, "invite", Map.of("user_id", bob.userId()));
        Map<String, Object> invited = client.sync(bob, "since", since);
        List<Map<String, Object>> inviteState = events(at(invited, "rooms", "invite", roomId, "invite_state"));
        Map<String, Object> invite = inviteState.get(inviteState.size() - 1);
        assertThat(invite).containsEntry("type", "m.room.member").containsEntry("sender", alice.userId())
                .containsKeys("event_id", "origin_server_ts", "unsigned");
        assertThat(((Number) invite.get("origin_server_ts")).longValue()).isGreaterThan(1_000_000_000_000L);
        assertThat(at(invite, "content")).containsEntry("membership", "invite");

        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> joined = client.sync(bob, "since", (String) invited.get("next_batch"), "filter",
                "{\"room\":{\"timeline\":{\"limit\":4}}}");
        Map<String, Object> room = at(joined, "rooms", "join", roomId);
        Map<String, Object> timeline = at(room, "timeline");
        assertThat(keys(events(timeline))).containsExactly("m.room.message|null", "m.room.message|null",
                "m.room.member|" + bob.userId(), "m.room.member|" + bob.userId());
        assertThat(bodies(events(timeline))).containsExactly("m7", "m8");
        assertThat(timeline).containsEntry("limited", true).containsKey("prev_batch");
        assertThat(keys(events(at(room, "state")))).contains("m.room.create|", "m.room.power_levels|",
                "m.room.name|", "m.room.member|" + alice.userId());
        assertThat(events(at(joined, "presence"))).extracting(e -> e.get("sender")).contains(alice.userId());

        Map<String, Object> whole = client.sync(bob, "since", (String) invited.get("next_batch"), "filter",
                "{\"room\":{\"timeline\":{\"limit\":50}}}");
        Map<String, Object> wholeTimeline = at(whole, "rooms", "join", roomId, "timeline");
        assertThat(wholeTimeline).containsEntry("limited", false);
        assertThat(keys(events(wholeTimeline)).get(0)).isEqualTo("m.room.create|");
        assertThat(events(at(whole, "rooms", "join", roomId, "state"))).isEmpty();
    }

    @Test
    void aRejoinedRoomShouldComeBackWithWhatHappenedMeanwhile() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        client.membership(bob, roomId, "leave", Map.of());
        String since = client.settledToken(bob);
        client.send(alice, roomId, "while bob was away");
        client.state(alice, roomId, "m.room.topic", Map.of("topic", "changed meanwhile"));

        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> room = at(client.sync(bob, "since", since, "filter",
                "{\"room\":{\"timeline\":{\"limit\":2}}}"), "rooms", "join", roomId);

        assertThat(at(room, "timeline")).containsEntry("limited", true);
        assertThat(keys(events(at(room, "timeline")))).containsExactly("m.room.topic|", "m.room.member|"
                + bob.userId());
        assertThat(keys(events(at(room, "state")))).contains("m.room.create|", "m.room.member|" + alice.userId())
                .doesNotContain("m.room.topic|");
        List<Map<String, Object>> earlier = chunk(messages(bob, roomId, "dir=b&limit=1&from="
                + at(room, "timeline").get("prev_batch")));
        assertThat(bodies(earlier)).containsExactly("while bob was away");
    }

    @Test
    void lazyLoadedMembersShouldBeSentOnceUnlessRedundantOnesAreAskedFor() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Lazy"));
        client.membership(bob, roomId, "join", Map.of());
        client.membership(carol, roomId, "join", Map.of());
        client.send(bob, roomId, "b1");

        Map<String, Object> initial = client.sync(alice, "filter", LAZY);
        assertThat(members(at(initial, "rooms", "join", roomId))).containsExactlyInAnyOrder(alice.userId(),
                bob.userId());

        client.send(bob, roomId, "b2");
        Map<String, Object> second = client.sync(alice, "since", (String) initial.get("next_batch"), "filter", LAZY);
        Map<String, Object> secondRoom = at(second, "rooms", "join", roomId);
        assertThat(bodies(events(at(secondRoom, "timeline")))).containsExactly("b2");
        assertThat(members(secondRoom)).isEmpty();

        client.send(carol, roomId, "c1");
        Map<String, Object> third = client.sync(alice, "since", (String) second.get("next_batch"), "filter", LAZY);
        assertThat(members(at(third, "rooms", "join", roomId))).containsExactly(carol.userId());

        client.send(bob, roomId, "b3");
        String redundant = "{\"room\":{\"timeline\":{\"limit\":1},\"state\":{\"lazy_load_members\":true,"
                + "\"include_redundant_members\":true}}}";
        Map<String, Object> fourth = client.sync(alice, "since", (String) third.get("next_batch"), "filter",
                redundant);
        assertThat(members(at(fourth, "rooms", "join", roomId))).containsExactly(bob.userId());

        SyncClient.ok(client.request(HttpMethod.PUT, SyncClient.V3 + "/rooms/" + roomId + "/state/m.room.member/"
                + carol.userId(), carol, Map.of("membership", "join", "displayname", "Carol in the gap")));
        client.send(bob, roomId, "b4");
        client.send(bob, roomId, "b5");
        Map<String, Object> gap = at(client.sync(alice, "since", (String) fourth.get("next_batch"), "filter", LAZY),
                "rooms", "join", roomId);
        assertThat(at(gap, "timeline")).containsEntry("limited", true);
        assertThat(members(gap)).containsExactly(carol.userId());
    }

    @Test
    void aFullStateSyncShouldCarryTheWholeStateWhileTheTimelineStaysSinceTheToken() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Full"));
        client.membership(bob, roomId, "join", Map.of());
        Map<String, Object> initial = client.sync(alice, "filter", LAZY);
        client.send(bob, roomId, "after the token");

        Map<String, Object> full = at(client.sync(alice, "since", (String) initial.get("next_batch"), "full_state",
                "true"), "rooms", "join", roomId);
        assertThat(bodies(events(at(full, "timeline")))).containsExactly("after the token");
        assertThat(at(full, "timeline")).containsEntry("limited", false);
        assertThat(keys(events(at(full, "state")))).contains("m.room.create|", "m.room.power_levels|",
                "m.room.name|", "m.room.member|" + alice.userId(), "m.room.member|" + bob.userId());

        Map<String, Object> lazyFull = at(client.sync(alice, "since", (String) initial.get("next_batch"),
                "full_state", "true", "filter", LAZY), "rooms", "join", roomId);
        assertThat(keys(events(at(lazyFull, "state")))).contains("m.room.create|", "m.room.name|");
        assertThat(members(lazyFull)).as("the own member always; bob's came with the initial sync")
                .containsExactly(alice.userId());
    }

    @Test
    void theSummaryShouldNameHeroesOnlyForUnnamedRoomsAndCountMembers() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        Session dave = accounts.register(unique("dave"), "pw-dave-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(carol, roomId, "join", Map.of());
        client.membership(alice, roomId, "invite", Map.of("user_id", bob.userId()));
        client.membership(dave, roomId, "join", Map.of());
        client.membership(dave, roomId, "leave", Map.of());

        Map<String, Object> room = at(client.sync(alice, "filter", LAZY), "rooms", "join", roomId);
        assertThat(at(room, "summary")).containsEntry("m.heroes", List.of(carol.userId(), bob.userId()))
                .containsEntry("m.joined_member_count", 2).containsEntry("m.invited_member_count", 1);
        assertThat(members(room)).contains(alice.userId(), carol.userId(), bob.userId());

        client.state(alice, roomId, "m.room.name", Map.of("name", ""));
        assertThat(at(client.sync(alice), "rooms", "join", roomId, "summary")).containsKey("m.heroes");
        client.state(alice, roomId, "m.room.name", Map.of("name", "Now named"));
        assertThat(at(client.sync(alice), "rooms", "join", roomId, "summary")).doesNotContainKey("m.heroes")
                .containsEntry("m.joined_member_count", 2);

        String alone = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(dave, alone, "join", Map.of());
        client.membership(dave, alone, "leave", Map.of());
        assertThat(at(client.sync(alice), "rooms", "join", alone, "summary"))
                .containsEntry("m.heroes", List.of(dave.userId())).containsEntry("m.joined_member_count", 1);
    }

    @Test
    void pagingFromPrevBatchShouldReturnExactlyTheEventsBeforeTheTimeline() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of());
        for (int i = 1; i <= 4; i++) {
            client.send(alice, roomId, "m" + i);
        }
        String since = client.settledToken(alice);
        for (int i = 5; i <= 12; i++) {
            client.send(alice, roomId, "m" + i);
        }
        Map<String, Object> timeline = at(client.sync(alice, "since", since, "filter",
                "{\"room\":{\"timeline\":{\"limit\":3}}}"), "rooms", "join", roomId, "timeline");
        assertThat(bodies(events(timeline))).containsExactly("m10", "m11", "m12");
        String prevBatch = (String) timeline.get("prev_batch");

        Map<String, Object> back = messages(alice, roomId, "dir=b&limit=4&from=" + prevBatch);
        assertThat(bodies(chunk(back))).containsExactly("m9", "m8", "m7", "m6");
        assertThat(back).containsEntry("start", prevBatch).containsKey("end");
        Map<String, Object> gap = messages(alice, roomId, "dir=f&limit=50&from=" + since + "&to=" + prevBatch);
        assertThat(bodies(chunk(gap))).containsExactly("m5", "m6", "m7", "m8", "m9");
        assertThat(gap).doesNotContainKey("end");
        Map<String, Object> toSince = messages(alice, roomId, "dir=b&limit=50&from=" + prevBatch + "&to=" + since);
        assertThat(bodies(chunk(toSince))).containsExactly("m9", "m8", "m7", "m6", "m5");

        List<Map<String, Object>> all = new ArrayList<>();
        String from = prevBatch;
        Map<String, Object> page;
        do {
            page = messages(alice, roomId, "dir=b&limit=3&from=" + from);
            all.addAll(chunk(page));
            from = (String) page.get("end");
        } while (from != null);
        assertThat(bodies(all)).containsExactly("m9", "m8", "m7", "m6", "m5", "m4", "m3", "m2", "m1");
        assertThat(all.get(all.size() - 1)).containsEntry("type", "m.room.create");
        assertThat(all).extracting(e -> e.get("event_id")).doesNotHaveDuplicates();
        int total = all.size();
        assertThat(messages(alice, roomId, "dir=b&limit=" + total + "&from=" + prevBatch))
                .doesNotContainKey("end");
        assertThat(messages(alice, roomId, "dir=b&limit=" + (total - 1) + "&from=" + prevBatch)).containsKey("end");

        Map<String, Object> members = SyncClient.ok(client.request(HttpMethod.GET, SyncClient.V3 + "/rooms/"
                + roomId + "/members?at=" + prevBatch, alice, null));
        assertThat(chunk(members)).extracting(e -> e.get("state_key")).containsExactly(alice.userId());
        for (String bad : List.of("sevents-x", "s", "t1-2-3", "nonsense")) {
            expectError(client.request(HttpMethod.GET, SyncClient.V3 + "/rooms/" + roomId
                    + "/messages?dir=b&from=" + bad, alice, null), 400, "M_INVALID_PARAM");
        }
    }

    @Test
    void ignoredUsersShouldDisappearFromSyncMessagesContextInvitesAndToDevice() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session mallory = accounts.register(unique("mallory"), "pw-mallory-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "power_level_content_override",
                Map.of("users", Map.of(mallory.userId(), 50))));
        client.membership(mallory, roomId, "join", Map.of());
        client.membership(bob, roomId, "join", Map.of());
        expectError(ignore(alice, alice.userId()), 400, "M_INVALID_PARAM");
        ignore(alice, mallory.userId()).expectStatus().isOk();
        String since = client.settledToken(alice);

        String hidden = client.send(mallory, roomId, "you cannot see me");
        client.state(mallory, roomId, "m.room.topic", Map.of("topic", "set by mallory"));
        client.send(bob, roomId, "bob speaks");
        String elsewhere = client.createRoom(mallory, Map.of());
        client.membership(mallory, elsewhere, "invite", Map.of("user_id", alice.userId()));
        sendToDevice(mallory, alice, "from mallory");
        sendToDevice(bob, alice, "from bob");

        Map<String, Object> sync = client.sync(alice, "since", since);
        Map<String, Object> timeline = at(sync, "rooms", "join", roomId, "timeline");
        assertThat(bodies(events(timeline))).containsExactly("bob speaks");
        assertThat(keys(events(timeline))).contains("m.room.topic|");
        assertThat(at(sync, "rooms", "invite")).doesNotContainKey(elsewhere);
        assertThat(events(at(sync, "to_device"))).extracting(e -> at(e, "content").get("text"))
                .containsExactly("from bob");
        assertThat(bodies(chunk(messages(alice, roomId, "dir=b&limit=20")))).containsExactly("bob speaks");
        expectError(client.request(HttpMethod.GET, SyncClient.V3 + "/rooms/" + roomId + "/context/" + hidden,
                alice, null), 404, "M_NOT_FOUND");
        assertThat(bodies(chunk(messages(bob, roomId, "dir=b&limit=20")))).contains("you cannot see me");

        ignore(alice).expectStatus().isOk();
        String afterUnignore = (String) client.sync(alice, "since", (String) sync.get("next_batch"))
                .get("next_batch");
        client.send(mallory, roomId, "seen again");
        Map<String, Object> resumed = client.sync(alice, "since", afterUnignore);
        assertThat(bodies(events(at(resumed, "rooms", "join", roomId, "timeline")))).containsExactly("seen again");
        Map<String, Object> fresh = client.sync(alice, "filter", "{\"room\":{\"timeline\":{\"limit\":20}}}");
        assertThat(bodies(events(at(fresh, "rooms", "join", roomId, "timeline")))).containsExactly(
                "you cannot see me", "bob speaks", "seen again");
        assertThat(at(fresh, "rooms", "invite")).containsKey(elsewhere);
    }

    @Test
    void theFirstIncrementalSyncAfterAnInitialOneShouldReturnAtOnceWithTheUserComingOnline() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Map<String, Object> initial = client.sync(alice);
        assertThat(events(at(initial, "presence"))).extracting(e -> e.get("sender")).doesNotContain(alice.userId());

        Map<String, Object> next = client.sync(alice, "since", (String) initial.get("next_batch"), "timeout",
                "120000");

        assertThat(events(at(next, "presence"))).anySatisfy(e -> {
            assertThat(e).containsEntry("sender", alice.userId());
            assertThat(at(e, "content")).containsEntry("presence", "online");
        });
    }

    /** The senders of the member events in a joined room's state section. */
    private static List<Object> members(Map<String, Object> room) {
        return events(at(room, "state")).stream().filter(e -> "m.room.member".equals(e.get("type")))
                .map(e -> e.get("state_key")).toList();
    }

    private Map<String, Object> messages(Session session, String roomId, String query) {
        return SyncClient.ok(client.request(HttpMethod.GET, SyncClient.V3 + "/rooms/" + roomId + "/messages?"
                + query, session, null));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> chunk(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("chunk");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec ignore(Session session,
            String... users) {
        Map<String, Object> ignored = new java.util.LinkedHashMap<>();
        for (String user : users) {
            ignored.put(user, Map.of());
        }
        return client.request(HttpMethod.PUT, SyncClient.V3 + "/user/" + session.userId()
                + "/account_data/m.ignored_user_list", session, Map.of("ignored_users", ignored));
    }

    private void sendToDevice(Session from, Session to, String text) {
        client.request(HttpMethod.PUT, SyncClient.V3 + "/sendToDevice/org.example.note/" + unique("txn"), from,
                Map.of("messages", Map.of(to.userId(), Map.of(to.deviceId(), Map.of("text", text)))))
                .expectStatus().isOk();
    }
}
