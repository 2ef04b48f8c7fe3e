package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/** POST /rooms/{roomId}/upgrade through the real server: what the new room copies and how the old one ends. */
class RoomUpgradeIT extends HomeserverIT {

    private static final String ALIAS = RoomClient.V3 + "/directory/room/{alias}";
    private static final String VISIBILITY = RoomClient.V3 + "/directory/list/room/{roomId}";

    private RoomClient rooms;

    @BeforeEach
    void client() {
        rooms = new RoomClient(http);
    }

    @Test
    void upgradeShouldCopyStateMoveAliasesAndTombstoneTheOldRoom() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session mallory = accounts.register(unique("mallory"), "pw-mallory-1");
        String local = unique("upgraded");
        String alias = "#" + local + ":test.local";
        String oldRoom = rooms.create(alice, Map.of("room_version", "10", "visibility", "public",
                "preset", "public_chat", "name", "Old", "topic", "Chat", "room_alias_name", local,
                "power_level_content_override", Map.of("users", Map.of(alice.userId(), 100, bob.userId(), 42)),
                "initial_state", List.of(Map.of("type", "m.room.encryption",
                        "content", Map.of("algorithm", "m.megolm.v1.aes-sha2")))));
        rooms.join(bob, oldRoom);
        rooms.join(mallory, oldRoom);
        ok(rooms.request(POST, RoomClient.room(oldRoom) + "/ban", alice, Map.of("user_id", mallory.userId())));
        String lastBefore = lastEventId(alice, oldRoom);

        String newRoom = (String) ok(rooms.request(POST, RoomClient.room(oldRoom) + "/upgrade", alice,
                Map.of("new_version", "11"))).get("replacement_room");

        assertThat(newRoom).isNotEqualTo(oldRoom).endsWith(":test.local");
        Map<String, Object> create = state(alice, newRoom, "m.room.create", "");
        assertThat(create).containsEntry("room_version", "11")
                .containsEntry("predecessor", Map.of("room_id", oldRoom, "event_id", lastBefore));
        assertThat(state(alice, newRoom, "m.room.name", "")).containsEntry("name", "Old");
        assertThat(state(alice, newRoom, "m.room.topic", "")).containsEntry("topic", "Chat");
        assertThat(state(alice, newRoom, "m.room.join_rules", "")).containsEntry("join_rule", "public");
        assertThat(state(alice, newRoom, "m.room.encryption", "")).containsEntry("algorithm",
                "m.megolm.v1.aes-sha2");
        assertThat(state(alice, newRoom, "m.room.canonical_alias", "")).containsEntry("alias", alias);
        assertThat(state(alice, newRoom, "m.room.member", mallory.userId())).containsEntry("membership", "ban");
        Map<String, Object> levels = state(alice, newRoom, "m.room.power_levels", "");
        assertThat((Map<String, Object>) levels.get("users")).containsEntry(alice.userId(), 100)
                .containsEntry(bob.userId(), 42);
        assertThat(state(alice, newRoom, "m.room.member", alice.userId())).containsEntry("membership", "join");

        assertThat(state(alice, oldRoom, "m.room.tombstone", "")).containsEntry("replacement_room", newRoom);
        Map<String, Object> oldLevels = state(alice, oldRoom, "m.room.power_levels", "");
        assertThat(oldLevels).containsEntry("events_default", 50).containsEntry("invite", 50);
        assertThat(state(alice, oldRoom, "m.room.canonical_alias", "")).doesNotContainKey("alias");
        assertThat(ok(rooms.request(GET, ALIAS, null, null, alias))).containsEntry("room_id", newRoom);
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, newRoom))).containsEntry("visibility", "public");
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, oldRoom))).containsEntry("visibility", "private");
        expectError(rooms.request(PUT, RoomClient.room(oldRoom) + "/send/m.room.message/t1", bob,
                Map.of("msgtype", "m.text", "body", "still here?")), 403, "M_FORBIDDEN");
    }

    @Test
    void upgradeToV12ShouldMakeTheUpgraderACreatorWithoutAPowerLevelEntry() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String oldRoom = rooms.create(alice, Map.of("room_version", "11"));
        String newRoom = (String) ok(rooms.request(POST, RoomClient.room(oldRoom) + "/upgrade", alice,
                Map.of("new_version", "12", "additional_creators", List.of(bob.userId()))))
                .get("replacement_room");

        assertThat(newRoom).doesNotContain(":");
        Map<String, Object> create = state(alice, newRoom, "m.room.create", "");
        assertThat(create).containsEntry("room_version", "12")
                .containsEntry("additional_creators", List.of(bob.userId()));
        assertThat((Map<String, Object>) create.get("predecessor")).containsEntry("room_id", oldRoom)
                .containsKey("event_id");
        Map<String, Object> levels = state(alice, newRoom, "m.room.power_levels", "");
        assertThat((Map<String, Object>) levels.get("users")).doesNotContainKeys(alice.userId(), bob.userId());
        assertThat(state(alice, oldRoom, "m.room.tombstone", "")).containsEntry("replacement_room", newRoom);
    }

    @Test
    void upgraderShouldBeRaisedWhileCopyingAndRestoredAfter() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String oldRoom = rooms.create(alice, Map.of("room_version", "10", "preset", "public_chat",
                "power_level_content_override", Map.of("users", Map.of(alice.userId(), 100, bob.userId(), 60),
                        "events", Map.of("m.room.tombstone", 60, "m.room.power_levels", 100,
                                "m.room.server_acl", 100))));
        rooms.join(bob, oldRoom);
        String newRoom = (String) ok(rooms.request(POST, RoomClient.room(oldRoom) + "/upgrade", bob,
                Map.of("new_version", "10"))).get("replacement_room");

        Map<String, Object> levels = state(bob, newRoom, "m.room.power_levels", "");
        assertThat((Map<String, Object>) levels.get("users")).containsEntry(bob.userId(), 60)
                .containsEntry(alice.userId(), 100);
        assertThat(state(bob, newRoom, "m.room.join_rules", "")).containsEntry("join_rule", "public");
    }

    @Test
    void upgradeShouldBeRefusedWithoutTombstonePowerMembershipOrAKnownVersion() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        String upgrade = RoomClient.room(roomId) + "/upgrade";

        expectError(rooms.request(POST, upgrade, bob, Map.of("new_version", "11")), 403, "M_FORBIDDEN");
        expectError(rooms.request(POST, upgrade, carol, Map.of("new_version", "11")), 403, "M_FORBIDDEN");
        expectError(rooms.request(POST, RoomClient.room("!gone:test.local") + "/upgrade", alice,
                Map.of("new_version", "11")), 404, "M_NOT_FOUND");
        expectError(rooms.request(POST, upgrade, alice, Map.of("new_version", "99")), 400,
                "M_UNSUPPORTED_ROOM_VERSION");
        expectError(rooms.request(POST, upgrade, alice, Map.of()), 400, "M_MISSING_PARAM");
        expectError(rooms.request(POST, upgrade, alice, Map.of("new_version", 11)), 400, "M_BAD_JSON");
        expectError(rooms.request(POST, upgrade, alice, Map.of("new_version", "12",
                "additional_creators", List.of("not-a-user"))), 400, "M_INVALID_PARAM");
        expectError(rooms.request(POST, upgrade, null, Map.of("new_version", "11")), 401, "M_MISSING_TOKEN");
        assertThat(rooms.getArray(RoomClient.room(roomId) + "/state", alice))
                .noneMatch(event -> "m.room.tombstone".equals(event.get("type")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentUpgradesShouldAllGetTheOneReplacementRoom() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = rooms.create(alice, Map.of("preset", "private_chat"));
        String upgrade = RoomClient.room(roomId) + "/upgrade";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Object>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> ok(rooms.request(POST, upgrade, alice, Map.of("new_version", "11")))
                        .get("replacement_room")));
            }
            Set<Object> replacements = new HashSet<>();
            for (Future<Object> answer : answers) {
                replacements.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(replacements).hasSize(1);
            assertThat((List<Object>) ok(get(RoomClient.V3 + "/joined_rooms", alice.accessToken()))
                    .get("joined_rooms")).containsExactlyInAnyOrder(roomId, replacements.iterator().next());
        } finally {
            pool.shutdownNow();
        }
        expectError(rooms.request(POST, upgrade, alice, Map.of("new_version", "10")), 400, "M_BAD_STATE");
    }

    private Map<String, Object> state(Session session, String roomId, String type, String stateKey) {
        return ok(rooms.request(GET, RoomClient.room(roomId) + "/state/{type}/{key}", session, null, type,
                stateKey));
    }

    @SuppressWarnings("unchecked")
    private String lastEventId(Session session, String roomId) {
        Map<String, Object> page = ok(rooms.request(GET, RoomClient.room(roomId) + "/messages?dir=b&limit=1",
                session, null));
        return (String) ((List<Map<String, Object>>) page.get("chunk")).get(0).get("event_id");
    }
}
