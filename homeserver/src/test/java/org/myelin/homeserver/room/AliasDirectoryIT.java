package org.myelin.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PUT;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/** Room aliases, m.room.canonical_alias checks and directory visibility through the real server. */
class AliasDirectoryIT extends HomeserverIT {

    private static final String ALIAS = RoomClient.V3 + "/directory/room/{alias}";
    private static final String VISIBILITY = RoomClient.V3 + "/directory/list/room/{roomId}";

    private RoomClient rooms;

    @BeforeEach
    void client() {
        rooms = new RoomClient(http);
    }

    @Test
    void aliasShouldBeCreatedResolvedListedAndDeleted() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = rooms.create(alice, Map.of());
        String alias = "#" + unique("coffee") + ":test.local";

        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), alias));
        Map<String, Object> resolved = ok(rooms.request(GET, ALIAS, null, null, alias));
        assertThat(resolved).containsEntry("room_id", roomId).containsEntry("servers", List.of("test.local"));
        assertThat(ok(rooms.request(GET, RoomClient.room(roomId) + "/aliases", alice, null)))
                .containsEntry("aliases", List.of(alias));
        ok(rooms.request(DELETE, ALIAS, alice, null, alias));
        expectError(rooms.request(GET, ALIAS, null, null, alias), 404, "M_NOT_FOUND");
        expectError(rooms.request(DELETE, ALIAS, alice, null, alias), 404, "M_NOT_FOUND");
    }

    @Test
    void putShouldRejectTakenForeignMalformedAndNonMemberAliases() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = rooms.create(alice, Map.of());
        String alias = "#" + unique("taken") + ":test.local";
        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), alias));

        expectError(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), alias), 409, "M_UNKNOWN");
        expectError(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), "#x:other.example"), 400,
                "M_INVALID_PARAM");
        expectError(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), "no-hash:test.local"), 400,
                "M_INVALID_PARAM");
        expectError(rooms.request(PUT, ALIAS, alice, Map.of(), "#" + unique("a") + ":test.local"), 400,
                "M_MISSING_PARAM");
        expectError(rooms.request(PUT, ALIAS, bob, Map.of("room_id", roomId), "#" + unique("b") + ":test.local"),
                403, "M_FORBIDDEN");
        expectError(rooms.request(PUT, ALIAS, null, Map.of("room_id", roomId), "#z:test.local"), 401,
                "M_MISSING_TOKEN");
    }

    @Test
    void getShouldAnswerNotFoundForUnknownAndRemoteAliases() {
        expectError(rooms.request(GET, ALIAS, null, null, "#nobody:test.local"), 404, "M_NOT_FOUND");
        expectError(rooms.request(GET, ALIAS, null, null, "#somewhere:remote.example"), 404, "M_NOT_FOUND");
        expectError(rooms.request(GET, ALIAS, null, null, "not-an-alias"), 400, "M_INVALID_PARAM");
    }

    @Test
    void deleteShouldBeAllowedToTheCreatorAndToPowerfulMembersOnly() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);
        rooms.join(carol, roomId);
        String bobs = "#" + unique("bobs") + ":test.local";
        String alices = "#" + unique("alices") + ":test.local";
        ok(rooms.request(PUT, ALIAS, bob, Map.of("room_id", roomId), bobs));
        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), alices));

        expectError(rooms.request(DELETE, ALIAS, carol, null, alices), 403, "M_FORBIDDEN");
        expectError(rooms.request(DELETE, ALIAS, bob, null, alices), 403, "M_FORBIDDEN");
        expectError(rooms.request(DELETE, ALIAS, alice, null, "#x:remote.example"), 400, "M_INVALID_PARAM");
        ok(rooms.request(DELETE, ALIAS, bob, null, bobs));
        ok(rooms.request(PUT, ALIAS, bob, Map.of("room_id", roomId), bobs));
        ok(rooms.request(DELETE, ALIAS, alice, null, bobs));
        ok(rooms.request(GET, ALIAS, null, null, alices));
    }

    @Test
    void deletingAnAliasShouldTakeItOutOfTheCanonicalAliasEvent() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String local = unique("main");
        String roomId = rooms.create(alice, Map.of("room_alias_name", local));
        String alias = "#" + local + ":test.local";
        String alt = "#" + unique("alt") + ":test.local";
        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), alt));
        ok(rooms.request(PUT, RoomClient.room(roomId) + "/state/m.room.canonical_alias", alice,
                Map.of("alias", alias, "alt_aliases", List.of(alt))));

        ok(rooms.request(DELETE, ALIAS, alice, null, alias));
        Map<String, Object> content = ok(rooms.request(GET, RoomClient.room(roomId)
                + "/state/m.room.canonical_alias", alice, null));
        assertThat(content).doesNotContainKey("alias").containsEntry("alt_aliases", List.of(alt));
    }

    @Test
    void localAliasesShouldBeForMembersOrWorldReadableRoomsOnly() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String privateRoom = rooms.create(alice, Map.of());
        String readable = rooms.create(alice, Map.of("initial_state", List.of(Map.of("type",
                "m.room.history_visibility", "content", Map.of("history_visibility", "world_readable")))));

        expectError(rooms.request(GET, RoomClient.room(privateRoom) + "/aliases", bob, null), 403, "M_FORBIDDEN");
        expectError(rooms.request(GET, RoomClient.room("!unknown:test.local") + "/aliases", bob, null), 403,
                "M_FORBIDDEN");
        assertThat(ok(rooms.request(GET, RoomClient.room(readable) + "/aliases", bob, null)))
                .containsEntry("aliases", List.of());
    }

    @Test
    void canonicalAliasShouldOnlyNameAliasesOfTheRoom() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String roomId = rooms.create(alice, Map.of());
        String other = rooms.create(alice, Map.of());
        String own = "#" + unique("own") + ":test.local";
        String elsewhere = "#" + unique("elsewhere") + ":test.local";
        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", roomId), own));
        ok(rooms.request(PUT, ALIAS, alice, Map.of("room_id", other), elsewhere));
        String path = RoomClient.room(roomId) + "/state/m.room.canonical_alias";

        expectError(rooms.request(PUT, path, alice, Map.of("alias", elsewhere)), 400, "M_BAD_ALIAS");
        expectError(rooms.request(PUT, path, alice, Map.of("alias", "#missing:test.local")), 400, "M_BAD_ALIAS");
        expectError(rooms.request(PUT, path, alice, Map.of("alt_aliases", List.of(own, elsewhere))), 400,
                "M_BAD_ALIAS");
        expectError(rooms.request(PUT, path, alice, Map.of("alias", "not-an-alias")), 400, "M_INVALID_PARAM");
        expectError(rooms.request(PUT, path, alice, Map.of("alt_aliases", "#a:test.local")), 400,
                "M_INVALID_PARAM");
        ok(rooms.request(PUT, path, alice, Map.of("alias", own, "alt_aliases", List.of("#far:remote.example"))));
        ok(rooms.request(PUT, path, alice, Map.of()));
    }

    @Test
    void visibilityShouldBeReadAndChangedByPowerfulMembers() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        String roomId = rooms.create(alice, Map.of("preset", "public_chat"));
        rooms.join(bob, roomId);

        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, roomId))).containsEntry("visibility", "private");
        ok(rooms.request(PUT, VISIBILITY, alice, Map.of("visibility", "public"), roomId));
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, roomId))).containsEntry("visibility", "public");
        expectError(rooms.request(PUT, VISIBILITY, bob, Map.of("visibility", "private"), roomId), 403,
                "M_FORBIDDEN");
        expectError(rooms.request(PUT, VISIBILITY, alice, Map.of("visibility", "hidden"), roomId), 400,
                "M_INVALID_PARAM");
        ok(rooms.request(PUT, VISIBILITY, alice, Map.of("visibility", "private"), roomId));
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, roomId))).containsEntry("visibility", "private");
        ok(rooms.request(PUT, VISIBILITY, alice, Map.of(), roomId));
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, roomId))).containsEntry("visibility", "public");
    }

    @Test
    void visibilityOfAnUnknownRoomShouldBeNotFound() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        expectError(rooms.request(GET, VISIBILITY, null, null, "!nope:test.local"), 404, "M_NOT_FOUND");
        expectError(rooms.request(PUT, VISIBILITY, alice, Map.of("visibility", "public"), "!nope:test.local"), 404,
                "M_NOT_FOUND");
        expectError(rooms.request(GET, VISIBILITY, null, null, "nope"), 400, "M_INVALID_PARAM");
    }

    @Test
    void createRoomWithPublicVisibilityShouldPublishIt() {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        String published = rooms.create(alice, Map.of("visibility", "public"));
        String unpublished = rooms.create(alice, Map.of("preset", "public_chat"));
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, published))).containsEntry("visibility", "public");
        assertThat(ok(rooms.request(GET, VISIBILITY, null, null, unpublished)))
                .containsEntry("visibility", "private");
    }
}
