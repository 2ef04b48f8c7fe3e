package org.myelin.homeserver.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.id.UserId;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.room.api.ClientSlidingSyncApi;
import org.myelin.room.api.ClientSyncApi;
import org.myelin.room.api.RoomEvent;
import org.myelin.room.api.SlidingRoomData;
import org.myelin.room.api.SlidingRoomListing;
import org.myelin.room.api.SlidingRoomQuery;
import org.myelin.room.api.SlidingRoomRead;
import org.myelin.room.api.StateSelection;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A sliding sync window's rooms read together give each room what reading it alone gives: for two users with
 * different memberships (joined, left, invited), ignore lists and rooms of different history visibility, the
 * batched read of all their rooms equals the read of each room by itself, and both hide what the rules hide.
 */
class SlidingWindowBatchIT extends HomeserverIT {

    private static final StateSelection NAME_AND_LAZY_MEMBERS = new StateSelection(false, false, true, Set.of(),
            Set.of(), Set.of(new StateSelection.Key("m.room.name", "")));

    @Autowired
    private ClientSlidingSyncApi api;

    @Autowired
    private ClientSyncApi syncApi;

    @Autowired
    private ObjectMapper mapper;

    private SlidingClient client;

    @BeforeEach
    void client() {
        client = new SlidingClient(http);
    }

    @Test
    void theRoomsOfAWindowReadTogetherShouldGetWhatEachGetsAlone() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        client.accountData(bob, "m.ignored_user_list", Map.of("ignored_users", Map.of(carol.userId(), Map.of())));

        String shared = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Shared"));
        client.send(alice, shared, "shared before bob");
        client.membership(bob, shared, "join", Map.of());
        client.membership(carol, shared, "join", Map.of());
        client.send(carol, shared, "carol speaks");
        client.send(alice, shared, "shared after bob");

        String joinedOnly = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Joined only"));
        client.state(alice, joinedOnly, "m.room.history_visibility", "", Map.of("history_visibility", "joined"));
        client.send(alice, joinedOnly, "joined-only before bob");
        client.membership(bob, joinedOnly, "join", Map.of());
        client.send(alice, joinedOnly, "joined-only after bob");

        String left = client.createRoom(alice, Map.of("preset", "public_chat", "name", "Left"));
        client.membership(bob, left, "join", Map.of());
        client.send(alice, left, "left before the leave");
        client.membership(bob, left, "leave", Map.of());
        client.send(alice, left, "left after the leave");
        client.state(alice, left, "m.room.name", "", Map.of("name", "Renamed after the leave"));

        String invited = client.createRoom(alice, Map.of("preset", "private_chat", "name", "Invited"));
        client.send(alice, invited, "invited room message");
        client.membership(alice, invited, "invite", Map.of("user_id", bob.userId()));

        String unnamed = client.createRoom(alice, Map.of("preset", "public_chat"));
        client.membership(bob, unnamed, "join", Map.of());
        client.membership(carol, unnamed, "join", Map.of());
        client.send(carol, unnamed, "carol in the unnamed room");

        Map<String, SlidingRoomData> forBob = readBothWays(bob);
        assertThat(forBob).containsKeys(shared, joinedOnly, left, invited, unnamed);
        assertThat(bodies(forBob.get(shared))).contains("shared before bob", "shared after bob")
                .doesNotContain("carol speaks");
        assertThat(bodies(forBob.get(joinedOnly))).contains("joined-only after bob")
                .doesNotContain("joined-only before bob");
        assertThat(bodies(forBob.get(left))).contains("left before the leave")
                .doesNotContain("left after the leave");
        assertThat(names(forBob.get(left))).containsExactly("Left");
        assertThat(forBob.get(left).summary()).isNull();
        assertThat(forBob.get(invited).state()).isEmpty();
        assertThat(bodies(forBob.get(unnamed))).doesNotContain("carol in the unnamed room");
        assertThat(forBob.get(unnamed).summary().heroes()).contains(alice.userId(), carol.userId());
        assertThat(forBob.get(unnamed).summary().joined()).isEqualTo(3);

        Map<String, SlidingRoomData> forAlice = readBothWays(alice);
        assertThat(bodies(forAlice.get(shared))).contains("carol speaks");
        assertThat(bodies(forAlice.get(joinedOnly))).contains("joined-only before bob");
        assertThat(bodies(forAlice.get(unnamed))).contains("carol in the unnamed room");
        assertThat(names(forAlice.get(left))).containsExactly("Renamed after the leave");
        assertThat(forAlice.get(shared).lazyMembers()).contains(carol.userId());
    }

    /** Every room of the user read in one batch and each alone; asserts they agree, and answers by room. */
    private Map<String, SlidingRoomData> readBothWays(Session session) {
        UserId user = UserId.parse(session.userId());
        long upTo = syncApi.position().block();
        List<SlidingRoomListing> listings = api.rooms(user, upTo).block();
        List<SlidingRoomRead> reads = listings.stream().map(l -> new SlidingRoomRead(l,
                new SlidingRoomQuery(0, upTo, 10, NAME_AND_LAZY_MEMBERS, Set.of(), Set.of(), true))).toList();
        assertThat(reads).hasSizeGreaterThan(1);

        List<SlidingRoomData> together = api.roomData(user, reads).block();
        List<SlidingRoomData> alone = reads.stream().map(r -> api.roomData(user, List.of(r)).block().get(0))
                .toList();

        assertThat(together).isEqualTo(alone);
        Map<String, SlidingRoomData> byRoom = new HashMap<>();
        for (int i = 0; i < reads.size(); i++) {
            byRoom.put(reads.get(i).room().membership().roomId().value(), together.get(i));
        }
        return byRoom;
    }

    private List<String> bodies(SlidingRoomData data) {
        return data.timeline().stream().map(this::parse).map(e -> e.path("content").path("body").stringValue(""))
                .filter(b -> !b.isEmpty()).toList();
    }

    private List<String> names(SlidingRoomData data) {
        return data.state().stream().map(this::parse).filter(e -> "m.room.name".equals(e.path("type").stringValue()))
                .map(e -> e.path("content").path("name").stringValue()).toList();
    }

    private JsonNode parse(RoomEvent event) {
        return mapper.readTree(event.json());
    }
}
