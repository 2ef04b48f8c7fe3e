package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.sync.SyncClient.at;
import static org.myelin.homeserver.sync.SyncClient.bodies;
import static org.myelin.homeserver.sync.SyncClient.events;
import static org.myelin.homeserver.sync.SyncClient.keys;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/**
 * {@code use_state_after} on /sync (v1.19; MSC4222's unstable form as matrix-js-sdk sends it): each room's state up
 * to the end of its timeline, in {@code state_after} instead of {@code state}, on initial and incremental syncs,
 * across a limited timeline, for a left room, and with lazy-loaded members.
 */
class StateAfterSyncIT extends HomeserverIT {

    private static final String STATE_AFTER = "state_after";
    private static final String UNSTABLE = "org.matrix.msc4222.state_after";
    private static final String WHOLE = "{\"room\":{\"timeline\":{\"limit\":50}}}";

    private SyncClient client;

    @BeforeEach
    void client() {
        client = new SyncClient(http);
    }

    @Test
    void anInitialSyncShouldCarryTheWholeStateAtTheEndOfTheTimelineUnderTheAskedField() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of("preset", "private_chat", "name", "After"));
        String topic = client.state(alice, roomId, "m.room.topic", Map.of("topic", "first"));
        client.send(alice, roomId, "hello");

        Map<String, Object> stable = at(client.sync(alice, "use_state_after", "true", "filter", WHOLE), "rooms",
                "join", roomId);
        assertThat(stable).containsKey(STATE_AFTER).doesNotContainKeys("state", UNSTABLE);
        assertThat(keys(events(at(stable, "timeline")))).contains("m.room.create|", "m.room.topic|");
        assertThat(keys(events(at(stable, STATE_AFTER)))).contains("m.room.create|", "m.room.power_levels|",
                "m.room.name|", "m.room.member|" + alice.userId(), "m.room.topic|");
        assertThat(eventIds(at(stable, STATE_AFTER))).contains(topic);

        Map<String, Object> unstable = at(client.sync(alice, "org.matrix.msc4222.use_state_after", "true", "filter",
                WHOLE), "rooms", "join", roomId);
        assertThat(unstable).containsKey(UNSTABLE).doesNotContainKeys("state", STATE_AFTER);
        assertThat(keys(events(at(unstable, UNSTABLE))))
                .containsExactlyInAnyOrderElementsOf(keys(events(at(stable, STATE_AFTER))));

        Map<String, Object> stableWins = at(client.sync(alice, "use_state_after", "false",
                "org.matrix.msc4222.use_state_after", "true", "filter", WHOLE), "rooms", "join", roomId);
        assertThat(stableWins).containsKey("state").doesNotContainKeys(STATE_AFTER, UNSTABLE);
        assertThat(events(at(stableWins, "state"))).isEmpty();
    }

    @Test
    void anIncrementalSyncShouldCarryTheTimelinesStateChangesAndAnEmptyStateAfterWithout() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        String since = client.settledToken(alice);

        String topic = client.state(alice, roomId, "m.room.topic", Map.of("topic", "changed"));
        client.membership(bob, roomId, "join", Map.of());
        client.send(bob, roomId, "hi");
        Map<String, Object> changed = client.sync(alice, "since", since, "use_state_after", "true");
        Map<String, Object> room = at(changed, "rooms", "join", roomId);
        assertThat(room).doesNotContainKey("state");
        assertThat(at(room, "timeline")).containsEntry("limited", false);
        assertThat(keys(events(at(room, "timeline")))).containsExactly("m.room.topic|", "m.room.member|"
                + bob.userId(), "m.room.message|null");
        assertThat(keys(events(at(room, STATE_AFTER)))).containsExactlyInAnyOrder("m.room.topic|",
                "m.room.member|" + bob.userId());
        assertThat(eventIds(at(room, STATE_AFTER))).contains(topic);

        client.send(bob, roomId, "again");
        Map<String, Object> messagesOnly = at(client.sync(alice, "since", (String) changed.get("next_batch"),
                "use_state_after", "true"), "rooms", "join", roomId);
        assertThat(bodies(events(at(messagesOnly, "timeline")))).containsExactly("again");
        assertThat(messagesOnly).containsKey(STATE_AFTER).doesNotContainKey("state");
        assertThat(events(at(messagesOnly, STATE_AFTER))).isEmpty();
    }

    @Test
    void aLimitedTimelineShouldBringTheGapsAndTheTimelinesStateButNotWhatTheClientHas() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = client.createRoom(alice, Map.of("preset", "private_chat"));
        String since = client.settledToken(alice);
        String topic = client.state(alice, roomId, "m.room.topic", Map.of("topic", "in the gap"));
        for (int i = 1; i <= 3; i++) {
            client.send(alice, roomId, "m" + i);
        }
        String name = client.state(alice, roomId, "m.room.name", Map.of("name", "Named late"));
        client.send(alice, roomId, "last");
        String limitTwo = "{\"room\":{\"timeline\":{\"limit\":2}}}";

        Map<String, Object> after = at(client.sync(alice, "since", since, "use_state_after", "true", "filter",
                limitTwo), "rooms", "join", roomId);
        assertThat(at(after, "timeline")).containsEntry("limited", true);
        assertThat(keys(events(at(after, "timeline")))).containsExactly("m.room.name|", "m.room.message|null");
        assertThat(keys(events(at(after, STATE_AFTER)))).containsExactlyInAnyOrder("m.room.topic|",
                "m.room.name|");
        assertThat(eventIds(at(after, STATE_AFTER))).containsExactlyInAnyOrder(topic, name);

        Map<String, Object> before = at(client.sync(alice, "since", since, "filter", limitTwo), "rooms", "join",
                roomId);
        assertThat(keys(events(at(before, "state")))).containsExactly("m.room.topic|");
    }

    @Test
    void aLeftRoomShouldCarryItsStateUpToTheLeave() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, roomId, "join", Map.of());
        String since = client.settledToken(bob);
        client.membership(bob, roomId, "leave", Map.of());
        client.state(alice, roomId, "m.room.topic", Map.of("topic", "after bob left"));

        Map<String, Object> left = at(client.sync(bob, "since", since, "use_state_after", "true"), "rooms",
                "leave", roomId);
        assertThat(left).doesNotContainKey("state");
        assertThat(keys(events(at(left, STATE_AFTER)))).containsExactly("m.room.member|" + bob.userId());
        assertThat(at(events(at(left, STATE_AFTER)).get(0), "content")).containsEntry("membership", "leave");
    }

    @Test
    void lazyLoadedMembersShouldBeTakenAtTheEndOfTheTimelineAndSentOnce() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Lazy after"));
        client.membership(bob, roomId, "join", Map.of());
        client.membership(carol, roomId, "join", Map.of());
        client.send(bob, roomId, "b1");
        String renamed = (String) SyncClient.ok(client.request(HttpMethod.PUT, SyncClient.V3 + "/rooms/" + roomId
                + "/state/m.room.member/" + carol.userId(), carol,
                Map.of("membership", "join", "displayname", "Carol renamed"))).get("event_id");
        client.send(carol, roomId, "c1");
        String lazy = "{\"room\":{\"timeline\":{\"limit\":2},\"state\":{\"lazy_load_members\":true}}}";

        Map<String, Object> initial = client.sync(alice, "use_state_after", "true", "filter", lazy);
        Map<String, Object> room = at(initial, "rooms", "join", roomId);
        assertThat(keys(events(at(room, "timeline")))).containsExactly("m.room.member|" + carol.userId(),
                "m.room.message|null");
        assertThat(members(room)).containsExactlyInAnyOrder(alice.userId(), carol.userId());
        assertThat(eventIds(at(room, STATE_AFTER))).contains(renamed);

        client.send(carol, roomId, "c2");
        Map<String, Object> second = client.sync(alice, "since", (String) initial.get("next_batch"),
                "use_state_after", "true", "filter", lazy);
        Map<String, Object> secondRoom = at(second, "rooms", "join", roomId);
        assertThat(bodies(events(at(secondRoom, "timeline")))).containsExactly("c2");
        assertThat(members(secondRoom)).isEmpty();

        client.send(bob, roomId, "b2");
        Map<String, Object> third = at(client.sync(alice, "since", (String) second.get("next_batch"),
                "use_state_after", "true", "filter", lazy), "rooms", "join", roomId);
        assertThat(members(third)).containsExactly(bob.userId());
    }

    @Test
    void aMalformedFlagShouldBeRefused() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(client.syncRequest(alice, "use_state_after", "yes"), 400, "M_INVALID_PARAM");
        expectError(client.syncRequest(alice, "org.matrix.msc4222.use_state_after", "1"), 400, "M_INVALID_PARAM");
    }

    /** The state keys of the member events in a room's state_after. */
    private static List<Object> members(Map<String, Object> room) {
        return events(at(room, STATE_AFTER)).stream().filter(e -> "m.room.member".equals(e.get("type")))
                .map(e -> e.get("state_key")).toList();
    }

    private static List<Object> eventIds(Map<String, Object> section) {
        return events(section).stream().map(e -> e.get("event_id")).toList();
    }
}
