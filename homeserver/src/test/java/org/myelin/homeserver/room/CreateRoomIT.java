package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;

/** POST /createRoom through the real server: event order, presets, versions, aliases and failures. */
class CreateRoomIT extends HomeserverIT {

    private RoomClient rooms;

    @BeforeEach
    void client() {
        rooms = new RoomClient(http);
    }

    @Test
    void v12RoomShouldGetItsIdFromTheCreateEventAndTheSpecOrderOfState() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = rooms.create(alice, Map.of("name", "Room", "topic", "About", "invite", List.of(bob.userId()),
                "initial_state", List.of(Map.of("type", "m.room.encryption", "state_key", "",
                        "content", Map.of("algorithm", "m.megolm.v1.aes-sha2")))));
        assertThat(roomId).matches("![A-Za-z0-9_-]{43}");

        List<Map<String, Object>> state = rooms.getArray(RoomClient.room(roomId) + "/state", alice);
        Map<String, Map<String, Object>> byType = state.stream().filter(e -> "".equals(e.get("state_key")))
                .collect(Collectors.toMap(e -> (String) e.get("type"), e -> e));
        assertThat(byType).containsKeys("m.room.create", "m.room.power_levels", "m.room.join_rules",
                "m.room.history_visibility", "m.room.guest_access", "m.room.encryption", "m.room.name",
                "m.room.topic");
        assertThat(content(byType.get("m.room.create"))).containsEntry("room_version", "12")
                .doesNotContainKey("creator");
        assertThat(content(byType.get("m.room.join_rules"))).containsEntry("join_rule", "invite");
        Map<String, Object> events = (Map<String, Object>) content(byType.get("m.room.power_levels")).get("events");
        assertThat(events).containsEntry("m.room.tombstone", 150);
        Map<String, Object> bobMember = state.stream().filter(e -> bob.userId().equals(e.get("state_key")))
                .findFirst().orElseThrow();
        assertThat(content(bobMember)).containsEntry("membership", "invite");
        for (Map<String, Object> event : state) {
            assertThat(event).containsKeys("event_id", "room_id", "sender", "type", "content", "origin_server_ts",
                    "unsigned").doesNotContainKeys("hashes", "signatures", "auth_events", "prev_events", "depth");
        }
        List<Object> order = messages(alice, roomId).stream().map(e -> e.get("type")).toList();
        assertThat(order).containsExactly("m.room.create", "m.room.member", "m.room.power_levels",
                "m.room.join_rules", "m.room.history_visibility", "m.room.guest_access", "m.room.encryption",
                "m.room.name", "m.room.topic", "m.room.member");
    }

    @Test
    void oldVersionsShouldUseServerRoomIdsAndNameTheCreator() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = rooms.create(alice, Map.of("room_version", "1", "preset", "public_chat"));
        assertThat(roomId).matches("![A-Za-z]{18}:test\\.local");
        Map<String, Object> create = ok(get(RoomClient.room(roomId) + "/state/m.room.create/", alice.accessToken()));
        assertThat(create).containsEntry("creator", alice.userId()).containsEntry("room_version", "1");
        Map<String, Object> joinRules = ok(get(RoomClient.room(roomId) + "/state/m.room.join_rules",
                alice.accessToken()));
        assertThat(joinRules).containsEntry("join_rule", "public");
        Map<String, Object> levels = ok(get(RoomClient.room(roomId) + "/state/m.room.power_levels",
                alice.accessToken()));
        assertThat((Map<String, Object>) levels.get("users")).containsEntry(alice.userId(), 100);
    }

    @Test
    void everyVersionFrom1To12ShouldBeCreatable() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        for (int v = 1; v <= 12; v++) {
            String roomId = rooms.create(alice, Map.of("room_version", Integer.toString(v)));
            Map<String, Object> create = ok(get(RoomClient.room(roomId) + "/state/m.room.create",
                    alice.accessToken()));
            assertThat(create).containsEntry("room_version", Integer.toString(v));
        }
    }

    @Test
    void unknownRoomVersionShouldBe400UnsupportedRoomVersion() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(post(RoomClient.V3 + "/createRoom", Map.of("room_version", "13"), alice.accessToken()), 400,
                "M_UNSUPPORTED_ROOM_VERSION");
    }

    @Test
    void aliasShouldBeCreatedJoinableAndNotReusable() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String local = unique("lobby");
        String roomId = rooms.create(alice, Map.of("room_alias_name", local, "preset", "public_chat"));
        Map<String, Object> canonical = ok(get(RoomClient.room(roomId) + "/state/m.room.canonical_alias",
                alice.accessToken()));
        assertThat(canonical).containsEntry("alias", "#" + local + ":test.local");

        Map<String, Object> joined = ok(rooms.joinByIdOrAlias(bob, "#" + local + ":test.local"));
        assertThat(joined).containsEntry("room_id", roomId);
        expectError(post(RoomClient.V3 + "/createRoom", Map.of("room_alias_name", local), alice.accessToken()),
                400, "M_ROOM_IN_USE");
    }

    @Test
    void powerLevelOverrideShouldReplaceTheDefaults() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = rooms.create(alice, Map.of("power_level_content_override", Map.of("events_default", 20)));
        Map<String, Object> levels = ok(get(RoomClient.room(roomId) + "/state/m.room.power_levels",
                alice.accessToken()));
        assertThat(levels).containsEntry("events_default", 20).containsEntry("state_default", 50);
    }

    @Test
    void malformedBodiesShouldBeRejected() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(rooms.raw(HttpMethod.POST, RoomClient.V3 + "/createRoom", alice, "{not json"), 400,
                "M_NOT_JSON");
        expectError(rooms.raw(HttpMethod.POST, RoomClient.V3 + "/createRoom", alice, "[1]"), 400, "M_BAD_JSON");
        expectError(post(RoomClient.V3 + "/createRoom", Map.of("invite", "nobody"), alice.accessToken()), 400,
                "M_BAD_JSON");
        expectError(post(RoomClient.V3 + "/createRoom", Map.of("preset", "party"), alice.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(RoomClient.V3 + "/createRoom", Map.of(), null), 401, "M_MISSING_TOKEN");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> content(Map<String, Object> event) {
        return (Map<String, Object>) event.get("content");
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> messages(Session session, String roomId) {
        return (List<Map<String, Object>>) ok(get(RoomClient.room(roomId) + "/messages?dir=f&limit=50",
                session.accessToken())).get("chunk");
    }
}
