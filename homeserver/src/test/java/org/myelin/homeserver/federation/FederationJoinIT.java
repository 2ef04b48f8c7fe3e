package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.homeserver.support.Accounts;
import org.myelin.room.graph.RoomStore;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Joins across two real servers: bob on B joins alice's rooms on A through the client API's /join, which runs
 * make_join and send_join against A; afterwards both servers hold the room with both members and its state.
 */
@RequiresPostgres
class FederationJoinIT {

    private static FederatedServers servers;
    private static Accounts.Session alice;
    private static Accounts.Session bob;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"),
                List.of(List.of("--myelin.federation.public-rooms=true")));
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        bob = servers.get(1).accounts().register("bob", "a long password for bob");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static WebTestClient a() {
        return servers.get(0).http();
    }

    private static WebTestClient b() {
        return servers.get(1).http();
    }

    private static String createRoom(String version, String preset) {
        Map<?, ?> created = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", preset, "room_version", version, "name", "Lobby " + version))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("room_id");
    }

    private static WebTestClient.ResponseSpec join(String roomId) {
        return b().post().uri(u -> u.path("/_matrix/client/v3/join/{room}")
                        .queryParam("server_name", servers.get(0).name()).build(roomId))
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange();
    }

    private static List<String> joinedMembers(WebTestClient server, Accounts.Session user, String roomId) {
        Map<?, ?> members = server.get().uri("/_matrix/client/v3/rooms/{r}/joined_members", roomId)
                .header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((Map<?, ?>) members.get("joined")).keySet().stream().map(String.class::cast).sorted().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3", "10", "12"})
    void aUserOfOneServerJoinsAPublicRoomOfTheOther(String version) {
        String roomId = createRoom(version, "public_chat");

        Map<?, ?> joined = join(roomId).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(joined.get("room_id")).isEqualTo(roomId);
        List<String> both = List.of(alice.userId(), bob.userId()).stream().sorted().toList();
        assertThat(joinedMembers(b(), bob, roomId)).isEqualTo(both);
        assertThat(joinedMembers(a(), alice, roomId)).isEqualTo(both);
        Map<?, ?> name = b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.name/", roomId)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(name.get("name")).isEqualTo("Lobby " + version);
        Map<?, ?> joinedRooms = b().get().uri("/_matrix/client/v3/joined_rooms").header("Authorization", bob.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(joinedRooms.get("joined_rooms").toString()).contains(roomId);
    }

    @Test
    void messagesFlowBothWaysAfterTheJoin() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        join(roomId).expectStatus().isOk();

        send(a(), alice, roomId, "hello bob, from A");
        send(b(), bob, roomId, "hello alice, from B");

        awaitMessage(b(), bob, roomId, "hello bob, from A");
        awaitMessage(a(), alice, roomId, "hello alice, from B");
    }

    /**
     * Bob's server holds the room from his join on; paging back past it fetches the history from alice's server
     * (/backfill, then /state at the new edge), down to the create event, in order and once each.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1", "12"})
    void pagingBackPastTheJoinBackfillsTheHistoryFromTheOtherServer(String version) {
        String roomId = createRoom(version, "public_chat");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            newestFirst.add(0, "history " + i);
            send(a(), alice, roomId, "history " + i);
        }
        join(roomId).expectStatus().isOk();

        List<Map<?, ?>> paged = pageBackToTheStart(roomId);

        List<Object> bodies = paged.stream().filter(e -> "m.room.message".equals(e.get("type")))
                .<Object>map(e -> ((Map<?, ?>) e.get("content")).get("body")).toList();
        assertThat(bodies).containsExactlyElementsOf(newestFirst);
        assertThat(paged.get(0).get("type")).isEqualTo("m.room.member");
        assertThat(paged.get(paged.size() - 1).get("type")).isEqualTo("m.room.create");
        assertThat(paged.stream().map(e -> e.get("event_id")).distinct().count()).isEqualTo(paged.size());
        List<Object> onA = pageBackToTheStart(a(), alice, roomId).stream().<Object>map(e -> e.get("event_id"))
                .toList();
        assertThat(paged.stream().<Object>map(e -> e.get("event_id")).toList()).isEqualTo(onA);
        RoomStore bStore = servers.get(1).bean(RoomStore.class);
        assertThat(paged.subList(1, paged.size())).as("the history is below B's live timeline, never in its /sync")
                .allSatisfy(e -> assertThat(bStore.events().find((String) e.get("event_id"))
                        .block(Duration.ofSeconds(10)).streamOrdering()).isNegative());
    }

    /** A time before bob's join: his server, missing that history, asks alice's and fetches the event it names. */
    @Test
    void timestampToEventFindsHistoryFromBeforeTheJoinOnTheOtherServer() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        Thread.sleep(5);
        long before = System.currentTimeMillis();
        send(a(), alice, roomId, "the first word");
        send(a(), alice, roomId, "the second word");
        Thread.sleep(5);
        join(roomId).expectStatus().isOk();
        String path = "/_matrix/client/v1/rooms/{r}/timestamp_to_event?dir=f&ts=" + before;

        Map<?, ?> onA = a().get().uri(path, roomId).header("Authorization", alice.bearer()).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> onB = b().get().uri(path, roomId).header("Authorization", bob.bearer()).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        assertThat(onB).isEqualTo(onA);
        Map<?, ?> event = b().get().uri("/_matrix/client/v3/rooms/{r}/event/{e}", roomId, onB.get("event_id"))
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) event.get("content")).get("body")).isEqualTo("the first word");
        Map<String, Object> none = MatrixErrors.body(b().get()
                .uri("/_matrix/client/v1/rooms/{r}/timestamp_to_event?dir=b&ts=1", roomId)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isNotFound());
        assertThat(none).containsEntry("errcode", "M_NOT_FOUND");
    }

    /** Bob on B sees the tombstone of a room alice upgrades on A, follows it and joins the new room through A. */
    @Test
    void aRemoteMemberFollowsAnUpgradeOfTheRoomToItsReplacement() throws InterruptedException {
        String oldRoom = createRoom("10", "public_chat");
        join(oldRoom).expectStatus().isOk();
        Map<?, ?> upgraded = a().post().uri("/_matrix/client/v3/rooms/{r}/upgrade", oldRoom)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("new_version", "12")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        String newRoom = (String) upgraded.get("replacement_room");

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.tombstone/", oldRoom)
                .header("Authorization", bob.bearer()).exchange().returnResult(Map.class).getStatus().value() != 200) {
            assertThat(System.nanoTime()).as("waiting for the tombstone on B").isLessThan(deadline);
            Thread.sleep(100);
        }
        Map<?, ?> tombstone = b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.tombstone/", oldRoom)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(tombstone.get("replacement_room")).isEqualTo(newRoom);
        join(newRoom).expectStatus().isOk();

        Map<?, ?> create = b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.create/", newRoom)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Map<?, ?>) create.get("predecessor")).get("room_id")).isEqualTo(oldRoom);
        assertThat(joinedMembers(a(), alice, newRoom)).containsExactlyInAnyOrder(alice.userId(), bob.userId());
        send(b(), bob, newRoom, "made it across the upgrade");
        awaitMessage(a(), alice, newRoom, "made it across the upgrade");
    }

    /** Bob leaves, is kicked and is banned across servers; both servers agree on each, and a ban keeps him out. */
    @Test
    void leaveKickAndBanOfARemoteMemberHoldOnBothServers() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        join(roomId).expectStatus().isOk();
        b().post().uri("/_matrix/client/v3/rooms/{r}/leave", roomId).header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        awaitJoined(roomId, List.of(alice.userId()));
        assertThat(joinedRooms(b(), bob)).doesNotContain(roomId);

        join(roomId).expectStatus().isOk();
        awaitJoined(roomId, List.of(alice.userId(), bob.userId()));
        moderate("kick", roomId);
        awaitJoined(roomId, List.of(alice.userId()));
        awaitNotJoinedOnB(roomId);

        join(roomId).expectStatus().isOk();
        awaitJoined(roomId, List.of(alice.userId(), bob.userId()));
        moderate("ban", roomId);
        awaitNotJoinedOnB(roomId);
        Map<String, Object> refused = MatrixErrors.body(join(roomId).expectStatus().isForbidden());
        assertThat(refused).containsEntry("errcode", "M_FORBIDDEN");
        assertThat(joinedMembers(a(), alice, roomId)).containsExactly(alice.userId());
    }

    /**
     * Carol on B joins a restricted room B is in already through bob, but no member on B may invite: B makes the
     * join through A, whose alice authorises it, instead of answering M_UNABLE_TO_GRANT_JOIN.
     */
    @Test
    void aRestrictedJoinNobodyHereMayAuthoriseIsAuthorisedByTheOtherServer() throws InterruptedException {
        Map<?, ?> space = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("preset", "public_chat",
                        "room_version", "10", "creation_content", Map.of("type", "m.space")))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String spaceId = (String) space.get("room_id");
        Map<?, ?> restricted = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("preset", "private_chat",
                        "room_version", "10", "power_level_content_override", Map.of("invite", 50),
                        "initial_state", List.of(Map.of("type", "m.room.join_rules", "state_key", "",
                                "content", Map.of("join_rule", "restricted", "allow", List.of(Map.of(
                                        "type", "m.room_membership", "room_id", spaceId)))))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String roomId = (String) restricted.get("room_id");
        join(spaceId).expectStatus().isOk();
        join(roomId).expectStatus().isOk();
        Accounts.Session carol = servers.get(1).accounts().register("carol", "a long password for carol");
        b().post().uri("/_matrix/client/v3/join/{r}", spaceId).header("Authorization", carol.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!joinedMembers(a(), alice, spaceId).contains(carol.userId())) {
            assertThat(System.nanoTime()).as("waiting for carol's space join on A").isLessThan(deadline);
            Thread.sleep(100);
        }

        b().post().uri("/_matrix/client/v3/join/{r}", roomId).header("Authorization", carol.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();

        assertThat(joinedMembers(a(), alice, roomId)).contains(carol.userId());
        long seen = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!joinedMembers(b(), carol, roomId).contains(carol.userId())) {
            assertThat(System.nanoTime()).as("waiting for carol's join on B").isLessThan(seen);
            Thread.sleep(100);
        }
        Map<?, ?> member = b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.member/{u}", roomId,
                        carol.userId()).header("Authorization", carol.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(member.get("join_authorised_via_users_server")).isEqualTo(alice.userId());
    }

    private static void moderate(String action, String roomId) {
        a().post().uri("/_matrix/client/v3/rooms/{r}/" + action, roomId).header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", bob.userId(), "reason", action))
                .exchange().expectStatus().isOk();
    }

    private static void awaitJoined(String roomId, List<String> members) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> expected = members.stream().sorted().toList();
        while (!joinedMembers(a(), alice, roomId).equals(expected)) {
            assertThat(System.nanoTime()).as("waiting for " + expected + " on A").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitNotJoinedOnB(String roomId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (joinedRooms(b(), bob).contains(roomId)) {
            assertThat(System.nanoTime()).as("waiting for bob to be out of the room on B").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<Object> joinedRooms(WebTestClient server, Accounts.Session user) {
        Map<?, ?> rooms = server.get().uri("/_matrix/client/v3/joined_rooms").header("Authorization", user.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return List.copyOf((List<?>) rooms.get("joined_rooms"));
    }

    private static List<Map<?, ?>> pageBackToTheStart(String roomId) {
        return pageBackToTheStart(b(), bob, roomId);
    }

    private static List<Map<?, ?>> pageBackToTheStart(WebTestClient server, Accounts.Session user, String roomId) {
        List<Map<?, ?>> events = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 20; page++) {
            String token = from;
            Map<?, ?> body = server.get().uri(u -> {
                        u.path("/_matrix/client/v3/rooms/{r}/messages").queryParam("dir", "b").queryParam("limit", 30);
                        if (token != null) {
                            u.queryParam("from", token);
                        }
                        return u.build(roomId);
                    }).header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            ((List<?>) body.get("chunk")).forEach(e -> events.add((Map<?, ?>) e));
            from = (String) body.get("end");
            if (from == null) {
                return events;
            }
        }
        throw new AssertionError("no end after 20 pages");
    }

    @Test
    void eventsAndUsersThatCameOverFederationAreSearchable() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        join(roomId).expectStatus().isOk();
        send(b(), bob, roomId, "interstellar greetings from B");
        send(a(), alice, roomId, "interstellar answer from A");
        awaitMessage(a(), alice, roomId, "interstellar greetings from B");
        awaitMessage(b(), bob, roomId, "interstellar answer from A");

        assertThat(searchBodies(a(), alice, "interstellar greetings")).containsExactly("interstellar greetings from B");
        assertThat(searchBodies(b(), bob, "interstellar answer")).containsExactly("interstellar answer from A");
        Map<?, ?> users = a().post().uri("/_matrix/client/v3/user_directory/search")
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("search_term", "bob")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((List<?>) users.get("results")).stream().map(u -> (Object) ((Map<?, ?>) u).get("user_id")))
                .contains(bob.userId());
    }

    private static List<Object> searchBodies(WebTestClient server, Accounts.Session user, String term) {
        Map<?, ?> found = server.post().uri("/_matrix/client/v3/search").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("search_categories", Map.of("room_events", Map.of("search_term", term))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> results = (List<?>) ((Map<?, ?>) ((Map<?, ?>) found.get("search_categories")).get("room_events"))
                .get("results");
        return results.stream().map(r -> ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) r).get("result")).get("content"))
                .get("body")).map(Object.class::cast).toList();
    }

    @Test
    void theJoinersSyncCarriesTheRoomsStateBeforeTheJoin() {
        String roomId = createRoom("12", "public_chat");
        String since = (String) bobSync(null).get("next_batch");
        join(roomId).expectStatus().isOk();

        // The timeline starts at the join (the earlier events are outliers here); the state is the room's before it.
        for (Map<?, ?> sync : List.of(bobSync(since), bobSync(null))) {
            Map<?, ?> room = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) sync.get("rooms")).get("join")).get(roomId);
            assertThat(stateKeys((Map<?, ?>) room.get("timeline"))).contains("m.room.member " + bob.userId());
            assertThat(stateKeys((Map<?, ?>) room.get("state"))).contains("m.room.create ", "m.room.join_rules ",
                    "m.room.power_levels ", "m.room.name ", "m.room.member " + alice.userId());
        }
    }

    private static Map<?, ?> bobSync(String since) {
        WebTestClient.RequestHeadersSpec<?> request = since == null ? b().get().uri("/_matrix/client/v3/sync?timeout=0")
                : b().get().uri("/_matrix/client/v3/sync?timeout=0&since={s}", since);
        return request.header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    /** "type state_key" of each state event in a sync section's {@code events}. */
    private static List<String> stateKeys(Map<?, ?> section) {
        return ((List<?>) section.get("events")).stream().map(e -> (Map<?, ?>) e)
                .filter(e -> e.get("state_key") != null).map(e -> e.get("type") + " " + e.get("state_key")).toList();
    }

    @Test
    void anInvitedUserSeesTheInviteAndJoinsThroughTheInvitersServer() throws InterruptedException {
        String roomId = createRoom("12", "private_chat");
        a().post().uri("/_matrix/client/v3/rooms/{r}/invite", roomId).header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", bob.userId())).exchange()
                .expectStatus().isOk();

        Map<?, ?> invite = awaitInvite(roomId);
        assertThat(invite.toString()).contains("Lobby 12").contains(alice.userId());
        List<?> inviteState = (List<?>) ((Map<?, ?>) invite.get("invite_state")).get("events");
        Map<?, ?> member = (Map<?, ?>) inviteState.get(inviteState.size() - 1);
        assertThat(member.get("type")).isEqualTo("m.room.member");
        assertThat(member.get("sender")).isEqualTo(alice.userId());
        assertThat(String.valueOf(member.get("event_id"))).startsWith("$");
        assertThat(((Number) member.get("origin_server_ts")).longValue()).isGreaterThan(1_000_000_000_000L);
        assertThat(member.get("unsigned")).isInstanceOf(Map.class);
        b().post().uri("/_matrix/client/v3/join/{r}", roomId).header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();

        List<String> both = List.of(alice.userId(), bob.userId()).stream().sorted().toList();
        assertThat(joinedMembers(b(), bob, roomId)).isEqualTo(both);
        send(a(), alice, roomId, "welcome, invited bob");
        awaitMessage(b(), bob, roomId, "welcome, invited bob");
    }

    @Test
    void anInviteRejectedOnTheInviteesServerReachesTheInviterAndLeavesTheInviteList() throws InterruptedException {
        String roomId = createRoom("10", "private_chat");
        a().post().uri("/_matrix/client/v3/rooms/{r}/invite", roomId).header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", bob.userId())).exchange()
                .expectStatus().isOk();
        awaitInvite(roomId);
        Map<?, ?> before = b().get().uri("/_matrix/client/v3/sync?timeout=0").header("Authorization", bob.bearer())
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        b().post().uri("/_matrix/client/v3/rooms/{r}/leave", roomId).header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();

        Map<?, ?> member = a().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.member/{u}", roomId, bob.userId())
                .header("Authorization", alice.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(member.get("membership")).isEqualTo("leave");
        Map<?, ?> after = b().get().uri("/_matrix/client/v3/sync?timeout=0&since={s}", before.get("next_batch"))
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> rooms = (Map<?, ?>) after.get("rooms");
        assertThat(String.valueOf(((Map<?, ?>) rooms.get("leave")).get(roomId))).contains("leave");
        assertThat(String.valueOf(rooms.get("invite"))).doesNotContain(roomId);
    }

    @Test
    void aKnockFromAnotherServerIsSeenByTheResidentAndAnsweredWithAnInvite() throws InterruptedException {
        Map<?, ?> created = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("room_version", "10", "name", "Knock knock", "initial_state", List.of(Map.of(
                        "type", "m.room.join_rules", "content", Map.of("join_rule", "knock")))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String roomId = (String) created.get("room_id");
        Map<?, ?> before = bobSync(null);

        Map<?, ?> knocked = b().post().uri(u -> u.path("/_matrix/client/v3/knock/{r}")
                        .queryParam("via", servers.get(0).name()).build(roomId))
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "may I?")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(knocked.get("room_id")).isEqualTo(roomId);
        Map<?, ?> member = a().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.member/{u}", roomId, bob.userId())
                .header("Authorization", alice.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(member.get("membership")).isEqualTo("knock");
        assertThat(member.get("reason")).isEqualTo("may I?");
        Map<?, ?> rooms = (Map<?, ?>) bobSync((String) before.get("next_batch")).get("rooms");
        Map<?, ?> knock = (Map<?, ?>) ((Map<?, ?>) rooms.get("knock")).get(roomId);
        assertThat(knock.toString()).contains("Knock knock").contains("m.room.create");

        a().post().uri("/_matrix/client/v3/rooms/{r}/invite", roomId).header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", bob.userId())).exchange()
                .expectStatus().isOk();
        awaitInvite(roomId);
        join(roomId).expectStatus().isOk();
        assertThat(joinedMembers(a(), alice, roomId)).containsExactlyInAnyOrder(alice.userId(), bob.userId());
    }

    @Test
    void aKnockOnARoomThatTakesNoneIsRefusedByItsServer() {
        String inviteOnly = createRoom("10", "private_chat");
        Map<String, Object> refused = MatrixErrors.body(b().post().uri(u -> u.path("/_matrix/client/v3/knock/{r}")
                        .queryParam("via", servers.get(0).name()).build(inviteOnly))
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isForbidden());
        assertThat(refused).containsEntry("errcode", "M_FORBIDDEN");
    }

    @Test
    void anInviteToAnUnknownUsersServerFailsWithoutHangingTheInviter() {
        String roomId = createRoom("12", "private_chat");
        Map<String, Object> body = MatrixErrors.body(a().post().uri("/_matrix/client/v3/rooms/{r}/invite", roomId)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("user_id", "@nobody:127.0.0.1:1")).exchange().expectStatus().isForbidden());
        assertThat(body).containsEntry("errcode", "M_FORBIDDEN");
    }

    private static Map<?, ?> awaitInvite(String roomId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<?, ?> sync = b().get().uri("/_matrix/client/v3/sync?timeout=0").header("Authorization", bob.bearer())
                    .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            Map<?, ?> rooms = (Map<?, ?>) sync.get("rooms");
            Map<?, ?> invites = rooms == null ? null : (Map<?, ?>) rooms.get("invite");
            if (invites != null && invites.get(roomId) != null) {
                return (Map<?, ?>) invites.get(roomId);
            }
            assertThat(System.nanoTime()).as("waiting for the invite").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * A joiner asking for partial state gets the state without membership events (but for the heroes of a room
     * with no name), the servers in the room, and an auth chain without the events already in the state.
     */
    @Test
    void sendJoinWithOmitMembersAnswersPartialState() {
        Map<?, ?> created = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("preset", "public_chat"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String unnamed = (String) created.get("room_id");
        String named = createRoom("12", "public_chat");

        JsonNode heroes = partialJoin(unnamed, "@partial1:" + servers.get(1).name());
        JsonNode none = partialJoin(named, "@partial2:" + servers.get(1).name());

        for (JsonNode answer : List.of(heroes, none)) {
            assertThat(answer.path("members_omitted").asBoolean()).isTrue();
            assertThat(answer.path("servers_in_room").toString()).isEqualTo("[\"" + servers.get(0).name() + "\"]");
            List<String> inState = new ArrayList<>();
            answer.path("state").forEach(e -> inState.add(Pdu.of(e, RoomVersions.V12).eventId().value()));
            answer.path("auth_chain").forEach(e -> assertThat(inState)
                    .doesNotContain(Pdu.of(e, RoomVersions.V12).eventId().value()));
        }
        assertThat(none.path("auth_chain").toString()).as("alice's join, which the state leaves out")
                .contains(alice.userId());
        assertThat(members(heroes)).containsExactly(alice.userId());
        assertThat(members(none)).isEmpty();
        assertThat(none.path("state").toString()).contains("m.room.create", "m.room.power_levels", "m.room.name");
    }

    private static List<String> members(JsonNode answer) {
        List<String> members = new ArrayList<>();
        answer.path("state").forEach(e -> {
            if ("m.room.member".equals(e.path("type").stringValue())) {
                members.add(e.path("state_key").stringValue());
            }
        });
        return members;
    }

    /** make_join and send_join?omit_members=true for a user of B, signed with B's key, sent by B's client. */
    private static JsonNode partialJoin(String roomId, String userId) {
        FederationClient fromB = servers.get(1).bean(FederationClient.class);
        ServerName aName = ServerName.parse(servers.get(0).name());
        String room = FederationClient.segment(roomId);
        JsonNode template = fromB.get(aName, "/_matrix/federation/v1/make_join/" + room + "/"
                + FederationClient.segment(userId) + "?ver=10&ver=11&ver=12").block(Duration.ofSeconds(20));
        RoomVersion version = RoomVersions.find(template.path("room_version").stringValue()).orElseThrow();
        ObjectNode event = (ObjectNode) template.path("event").deepCopy();
        event.put("origin_server_ts", System.currentTimeMillis());
        EventSigning bSigning = new EventSigning(ServerName.parse(servers.get(1).name()),
                servers.get(1).bean(SigningKey.class), new SecureRandom());
        ObjectNode signed = bSigning.sign(event, version).event();
        String eventId = Pdu.of(signed, version).eventId().value();
        return fromB.send(aName, "PUT", "/_matrix/federation/v2/send_join/" + room + "/"
                + FederationClient.segment(eventId) + "?omit_members=true", signed).block(Duration.ofSeconds(30));
    }

    @Test
    void theResidentServesEventsStateAndHistoryOnlyToServersInTheRoom() throws InterruptedException {
        String roomId = createRoom("10", "public_chat");
        a().put().uri("/_matrix/client/v3/rooms/{r}/state/m.room.history_visibility/", roomId)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("history_visibility", "joined")).exchange().expectStatus().isOk();
        send(a(), alice, roomId, "before bob");
        FederationClient fromB = servers.get(1).bean(FederationClient.class);
        ServerName aName = ServerName.parse(servers.get(0).name());
        String room = FederationClient.segment(roomId);
        String latest = latestEventId(a(), alice, roomId);
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/state_ids/" + room + "?event_id="
                + FederationClient.segment(latest)), 403, "M_FORBIDDEN");
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/timestamp_to_event/" + room + "?dir=b&ts="
                + System.currentTimeMillis()), 403, "M_FORBIDDEN");

        join(roomId).expectStatus().isOk();
        send(a(), alice, roomId, "after bob");
        awaitMessage(b(), bob, roomId, "after bob");
        String last = latestEventId(a(), alice, roomId);

        JsonNode event = fromB.get(aName, "/_matrix/federation/v1/event/" + FederationClient.segment(last))
                .block(Duration.ofSeconds(20));
        assertThat(event.path("pdus").get(0).path("content").path("body").stringValue()).isEqualTo("after bob");
        JsonNode stateIds = fromB.get(aName, "/_matrix/federation/v1/state_ids/" + room + "?event_id="
                + FederationClient.segment(last)).block(Duration.ofSeconds(20));
        assertThat(stateIds.path("pdu_ids").size()).isGreaterThanOrEqualTo(6);
        assertThat(stateIds.path("auth_chain_ids").size()).isGreaterThan(0);
        JsonNode backfill = fromB.get(aName, "/_matrix/federation/v1/backfill/" + room + "?limit=50&v="
                + FederationClient.segment(last)).block(Duration.ofSeconds(20));
        String bodies = backfill.path("pdus").toString();
        assertThat(bodies).contains("after bob").doesNotContain("before bob");
        ObjectNode missing = JsonNodeFactory.instance.objectNode().put("limit", 10);
        missing.putArray("earliest_events");
        missing.putArray("latest_events").add(last);
        JsonNode gap = fromB.send(aName, "POST", "/_matrix/federation/v1/get_missing_events/" + room, missing)
                .block(Duration.ofSeconds(20));
        assertThat(gap.path("events").toString()).doesNotContain("before bob");
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/event/" + FederationClient.segment("$nope")),
                404, "M_NOT_FOUND");
        long now = System.currentTimeMillis();
        JsonNode closest = fromB.get(aName, "/_matrix/federation/v1/timestamp_to_event/" + room + "?dir=b&ts="
                + (now + 60_000)).block(Duration.ofSeconds(20));
        assertThat(closest.path("event_id").stringValue()).isEqualTo(last);
        assertThat(closest.path("origin_server_ts").asLong()).isLessThanOrEqualTo(now);
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/timestamp_to_event/" + room + "?dir=f&ts="
                + (now + 86_400_000)), 404, "M_NOT_FOUND");
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/timestamp_to_event/" + room + "?dir=sideways&ts=1"),
                400, "M_INVALID_PARAM");
        expectRemoteError(fromB.get(aName, "/_matrix/federation/v1/timestamp_to_event/" + room + "?dir=b"),
                400, "M_MISSING_PARAM");
    }

    private static void expectRemoteError(Mono<JsonNode> request, int status, String errcode) {
        assertThatThrownBy(() -> request.block(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errcode()).hasValue(errcode);
                });
    }

    @Test
    void typingAndReceiptsCrossToTheOtherServer() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        join(roomId).expectStatus().isOk();
        send(a(), alice, roomId, "read me");
        awaitMessage(b(), bob, roomId, "read me");
        String eventId = latestEventId(b(), bob, roomId);

        a().put().uri("/_matrix/client/v3/rooms/{r}/typing/{u}", roomId, alice.userId())
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("typing", true, "timeout", 30000)).exchange().expectStatus().isOk();
        b().post().uri("/_matrix/client/v3/rooms/{r}/receipt/m.read/{e}", roomId, eventId)
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of())
                .exchange().expectStatus().isOk();

        awaitEphemeral(b(), bob, roomId, "m.typing", alice.userId());
        awaitEphemeral(a(), alice, roomId, "m.receipt", bob.userId());
    }

    @Test
    void presenceCrossesToServersSharingARoom() throws InterruptedException {
        String roomId = createRoom("12", "public_chat");
        join(roomId).expectStatus().isOk();
        a().put().uri("/_matrix/client/v3/presence/{u}/status", alice.userId()).header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("presence", "unavailable", "status_msg", "lunch across servers"))
                .exchange().expectStatus().isOk();

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<?, ?> presence = b().get().uri("/_matrix/client/v3/presence/{u}/status", alice.userId())
                    .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            if ("lunch across servers".equals(presence.get("status_msg"))) {
                assertThat(presence.get("presence")).isEqualTo("unavailable");
                return;
            }
            assertThat(System.nanoTime()).as("waiting for alice's presence on B").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String latestEventId(WebTestClient server, Accounts.Session user, String roomId) {
        Map<?, ?> page = server.get().uri("/_matrix/client/v3/rooms/{r}/messages?dir=b&limit=1", roomId)
                .header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) ((Map<?, ?>) ((List<?>) page.get("chunk")).get(0)).get("event_id");
    }

    /** Waits until {@code user}'s /sync shows an ephemeral event of {@code type} in the room mentioning {@code who}. */
    private static void awaitEphemeral(WebTestClient server, Accounts.Session user, String roomId, String type,
            String who) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<?, ?> sync = server.get().uri("/_matrix/client/v3/sync?timeout=0")
                    .header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            Map<?, ?> rooms = (Map<?, ?>) sync.get("rooms");
            Map<?, ?> joined = rooms == null ? null : (Map<?, ?>) rooms.get("join");
            Object room = joined == null ? null : joined.get(roomId);
            String text = room == null ? "" : String.valueOf(((Map<?, ?>) room).get("ephemeral"));
            if (text.contains(type) && text.contains(who)) {
                return;
            }
            assertThat(System.nanoTime()).as("waiting for " + type + " of " + who).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void send(WebTestClient server, Accounts.Session user, String roomId, String body) {
        server.put().uri("/_matrix/client/v3/rooms/{r}/send/m.room.message/{t}", roomId, "t" + System.nanoTime())
                .header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("msgtype", "m.text", "body", body)).exchange().expectStatus().isOk();
    }

    private static void awaitMessage(WebTestClient server, Accounts.Session user, String roomId, String body)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<?, ?> page = server.get().uri("/_matrix/client/v3/rooms/{r}/messages?dir=b&limit=50", roomId)
                    .header("Authorization", user.bearer()).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            boolean found = ((List<?>) page.get("chunk")).stream().map(e -> (Map<?, ?>) ((Map<?, ?>) e).get("content"))
                    .anyMatch(content -> body.equals(content.get("body")));
            if (found) {
                return;
            }
            assertThat(System.nanoTime()).as("waiting for '" + body + "'").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aRemoteAliasResolvesAndJoinsThroughItsServer() {
        a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", "public_chat", "room_alias_name", "square")).exchange()
                .expectStatus().isOk();
        String alias = "#square:" + servers.get(0).name();

        Map<?, ?> resolved = b().get().uri("/_matrix/client/v3/directory/room/{a}", alias)
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(resolved.get("servers")).isEqualTo(List.of(servers.get(0).name()));
        Map<?, ?> joined = b().post().uri("/_matrix/client/v3/join/{a}", alias).header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(joined.get("room_id")).isEqualTo(resolved.get("room_id"));
        Map<String, Object> missing = MatrixErrors.body(b().get().uri("/_matrix/client/v3/directory/room/{a}",
                "#nowhere:" + servers.get(0).name()).header("Authorization", bob.bearer()).exchange()
                .expectStatus().isNotFound());
        assertThat(missing).containsEntry("errcode", "M_NOT_FOUND");
    }

    @Test
    void aRestrictedRoomIsJoinedFromAnotherServerThroughAnAllowedSpaceWithTheResidentVouching() {
        String space = createRoom("10", "public_chat");
        Map<?, ?> created = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("room_version", "10", "initial_state", List.of(Map.of("type", "m.room.join_rules",
                        "content", Map.of("join_rule", "restricted", "allow", List.of(Map.of(
                                "type", "m.room_membership", "room_id", space)))))))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String restricted = (String) created.get("room_id");
        Map<String, Object> refused = MatrixErrors.body(join(restricted).expectStatus().isForbidden());
        assertThat(refused).containsEntry("errcode", "M_FORBIDDEN");

        join(space).expectStatus().isOk();
        join(restricted).expectStatus().isOk();

        List<String> both = List.of(alice.userId(), bob.userId()).stream().sorted().toList();
        assertThat(joinedMembers(a(), alice, restricted)).isEqualTo(both);
        Map<?, ?> member = b().get().uri("/_matrix/client/v3/rooms/{r}/state/m.room.member/{u}", restricted,
                        bob.userId())
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(member.get("join_authorised_via_users_server")).isEqualTo(alice.userId());
    }

    @Test
    void anotherServersPublishedRoomsAreListedThroughThatServer() {
        Map<?, ?> created = a().post().uri("/_matrix/client/v3/createRoom").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", "public_chat", "visibility", "public", "name", "Harbour of A",
                        "topic", "boats"))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        String roomId = (String) created.get("room_id");
        String server = servers.get(0).name();

        Map<?, ?> listed = b().get().uri(u -> u.path("/_matrix/client/v3/publicRooms").queryParam("server", server)
                        .queryParam("limit", 50).build())
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> entry = ((List<?>) listed.get("chunk")).stream().map(Map.class::cast)
                .filter(room -> roomId.equals(room.get("room_id"))).findFirst().orElseThrow();
        assertThat(entry.get("name")).isEqualTo("Harbour of A");
        assertThat(entry.get("topic")).isEqualTo("boats");
        assertThat(entry.get("num_joined_members")).isEqualTo(1);

        List<String> found = searchRemote(server, "harbour").stream()
                .map(room -> (String) ((Map<?, ?>) room).get("room_id")).toList();
        assertThat(found).containsExactly(roomId);
        assertThat(searchRemote(server, "no such room anywhere")).isEmpty();
    }

    private static List<?> searchRemote(String server, String term) {
        Map<?, ?> answer = b().post().uri(u -> u.path("/_matrix/client/v3/publicRooms").queryParam("server", server)
                        .build())
                .header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("filter", Map.of("generic_search_term", term)))
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        return (List<?>) answer.get("chunk");
    }

    @Test
    void anotherServersDirectoryNeedsAnAccessTokenAndThatServersConsent() {
        Map<String, Object> anonymous = MatrixErrors.body(b().get().uri(u -> u.path("/_matrix/client/v3/publicRooms")
                .queryParam("server", servers.get(0).name()).build()).exchange().expectStatus().isUnauthorized());
        assertThat(anonymous).containsEntry("errcode", "M_MISSING_TOKEN");

        Map<String, Object> refused = MatrixErrors.body(a().get().uri(u -> u.path("/_matrix/client/v3/publicRooms")
                        .queryParam("server", servers.get(1).name()).build())
                .header("Authorization", alice.bearer()).exchange().expectStatus().isForbidden());
        assertThat(refused).containsEntry("errcode", "M_FORBIDDEN");
        MatrixErrors.assertNoInternals(refused);
    }

    @Test
    void anotherServersUsersProfileIsAskedOfTheirServer() {
        a().put().uri("/_matrix/client/v3/profile/{u}/displayname", alice.userId())
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("displayname", "Alice of A")).exchange().expectStatus().isOk();

        Map<?, ?> profile = b().get().uri("/_matrix/client/v3/profile/{u}", alice.userId())
                .header("Authorization", bob.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();

        assertThat(profile.get("displayname")).isEqualTo("Alice of A");
        Map<String, Object> missing = MatrixErrors.body(b().get().uri("/_matrix/client/v3/profile/{u}",
                "@nobody:" + servers.get(0).name()).header("Authorization", bob.bearer()).exchange()
                .expectStatus().isNotFound());
        assertThat(missing).containsEntry("errcode", "M_NOT_FOUND");
    }

    @Test
    void aJoinTheResidentRefusesIs403() {
        String roomId = createRoom("10", "private_chat");
        Map<String, Object> body = MatrixErrors.body(join(roomId).expectStatus().isForbidden());
        assertThat(body).containsEntry("errcode", "M_FORBIDDEN");
        MatrixErrors.assertNoInternals(body);
    }

    @Test
    void aRoomNoServerKnowsIs404() {
        Map<String, Object> body = MatrixErrors.body(join("!nowhere:" + servers.get(0).name()).expectStatus()
                .isNotFound());
        assertThat(body).containsEntry("errcode", "M_NOT_FOUND");
    }
}
