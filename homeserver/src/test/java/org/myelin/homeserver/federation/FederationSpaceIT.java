package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.homeserver.support.Accounts;
import org.myelin.homeserver.support.MatrixErrors;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Spaces across two real servers: alice's space on A holds rooms of B, which A knows nothing of; A's /hierarchy and
 * /room_summary ask B's GET /_matrix/federation/v1/hierarchy, which shows A only what one of A's users could
 * preview (public rooms, a private one once alice is invited).
 */
@RequiresPostgres
class FederationSpaceIT {

    private static FederatedServers servers;
    private static Accounts.Session alice;
    private static Accounts.Session bob;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"), List.of());
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

    private static String create(WebTestClient server, Accounts.Session user, Map<String, Object> body) {
        Map<?, ?> created = server.post().uri("/_matrix/client/v3/createRoom").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("room_id");
    }

    private static void child(WebTestClient server, Accounts.Session user, String space, String child, String via,
            String order) {
        Map<String, Object> content = new HashMap<>(Map.of("via", List.of(via)));
        content.put("order", order);
        server.put().uri("/_matrix/client/v3/rooms/{s}/state/m.space.child/{c}", space, child)
                .header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(content)
                .exchange().expectStatus().isOk();
    }

    private static Map<String, Object> get(WebTestClient server, Accounts.Session user, String uri,
            Object... variables) {
        return MatrixErrors.body(server.get().uri(uri, variables).header("Authorization", user.bearer()).exchange()
                .expectStatus().isOk());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rooms(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("rooms");
    }

    private static List<Object> ids(Map<String, Object> page) {
        return rooms(page).stream().map(r -> r.get("room_id")).toList();
    }

    @Test
    void aSpaceOnOneServerListsTheRoomsOfTheOtherItMayPreview() {
        String bName = servers.get(1).name();
        String lounge = create(b(), bob, Map.of("preset", "public_chat", "name", "Remote lounge"));
        String secret = create(b(), bob, Map.of("preset", "private_chat", "name", "Remote secret"));
        String remoteSpace = create(b(), bob, Map.of("preset", "public_chat", "name", "Remote space",
                "creation_content", Map.of("type", "m.space")));
        String corner = create(b(), bob, Map.of("preset", "public_chat", "name", "Remote corner"));
        child(b(), bob, remoteSpace, corner, bName, "a");
        child(b(), bob, remoteSpace, secret, bName, "b");

        String space = create(a(), alice, Map.of("preset", "public_chat", "name", "Home",
                "creation_content", Map.of("type", "m.space")));
        String local = create(a(), alice, Map.of("preset", "public_chat", "name", "Local"));
        child(a(), alice, space, local, servers.get(0).name(), "1");
        child(a(), alice, space, lounge, bName, "2");
        child(a(), alice, space, secret, bName, "3");
        child(a(), alice, space, remoteSpace, bName, "4");

        Map<String, Object> page = get(a(), alice, "/_matrix/client/v1/rooms/{r}/hierarchy", space);
        assertThat(ids(page)).containsExactly(space, local, lounge, remoteSpace, corner);
        List<Map<String, Object>> rooms = rooms(page);
        assertThat(rooms.get(2)).containsEntry("name", "Remote lounge").containsEntry("num_joined_members", 1)
                .containsEntry("join_rule", "public");
        assertThat(rooms.get(3)).containsEntry("room_type", "m.space").containsEntry("name", "Remote space");
        assertThat((List<?>) rooms.get(3).get("children_state")).hasSize(2);
        assertThat(rooms.get(4)).containsEntry("name", "Remote corner");

        Map<String, Object> summary = get(a(), alice, "/_matrix/client/v1/room_summary/{r}?via={via}", lounge, bName);
        assertThat(summary).containsEntry("name", "Remote lounge").containsEntry("membership", "leave");
        a().get().uri("/_matrix/client/v1/room_summary/{r}?via={via}", secret, bName)
                .header("Authorization", alice.bearer()).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.errcode").isEqualTo("M_NOT_FOUND");
        a().get().uri("/_matrix/client/v1/room_summary/{r}", lounge).header("Authorization", alice.bearer())
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.errcode").isEqualTo("M_NOT_FOUND");
        a().get().uri("/_matrix/client/v1/room_summary/{r}?via={via}", lounge, bName).exchange().expectStatus()
                .isNotFound().expectBody().jsonPath("$.errcode").isEqualTo("M_NOT_FOUND");

        b().post().uri("/_matrix/client/v3/rooms/{r}/invite", secret).header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("user_id", alice.userId())).exchange()
                .expectStatus().isOk();
        awaitInvite(secret);
        assertThat(ids(get(a(), alice, "/_matrix/client/v1/rooms/{r}/hierarchy?max_depth=1", space)))
                .containsExactly(space, local, lounge, secret, remoteSpace);
        assertThat(get(a(), alice, "/_matrix/client/v1/room_summary/{r}?via={via}", secret, bName))
                .containsEntry("name", "Remote secret").containsEntry("membership", "invite");
    }

    @Test
    void theServerServerHierarchyAnswersOnlyForRoomsTheAskingServerMayPreview() {
        String space = create(b(), bob, Map.of("preset", "public_chat", "name", "Served",
                "creation_content", Map.of("type", "m.space")));
        String open = create(b(), bob, Map.of("preset", "public_chat", "name", "Open"));
        String hidden = create(b(), bob, Map.of("preset", "private_chat"));
        child(b(), bob, space, open, servers.get(1).name(), "a");
        child(b(), bob, space, hidden, servers.get(1).name(), "b");
        child(b(), bob, space, "!elsewhere:example.org", "example.org", "c");
        FederationClient fromA = servers.get(0).bean(FederationClient.class);
        ServerName bServer = ServerName.parse(servers.get(1).name());

        JsonNode answer = fromA.get(bServer, "/_matrix/federation/v1/hierarchy/" + FederationClient.segment(space))
                .block(Duration.ofSeconds(20));
        assertThat(answer.path("room").path("room_id").stringValue()).isEqualTo(space);
        assertThat(answer.path("room").path("children_state").size()).isEqualTo(3);
        assertThat(answer.path("children").size()).isEqualTo(1);
        assertThat(answer.path("children").get(0).path("name").stringValue()).isEqualTo("Open");
        assertThat(answer.path("children").get(0).has("children_state")).isFalse();
        assertThat(answer.path("inaccessible_children").toString()).isEqualTo("[\"" + hidden + "\"]");

        JsonNode suggested = fromA.get(bServer, "/_matrix/federation/v1/hierarchy/" + FederationClient.segment(space)
                + "?suggested_only=true").block(Duration.ofSeconds(20));
        assertThat(suggested.path("room").path("children_state").size()).isZero();
        assertThat(suggested.path("children").size()).isZero();

        expectRemoteError(fromA.get(bServer, "/_matrix/federation/v1/hierarchy/" + FederationClient.segment(hidden)),
                404, "M_NOT_FOUND");
        expectRemoteError(fromA.get(bServer, "/_matrix/federation/v1/hierarchy/"
                + FederationClient.segment("!unknown:" + servers.get(1).name())), 404, "M_NOT_FOUND");
        expectRemoteError(fromA.get(bServer, "/_matrix/federation/v1/hierarchy/" + FederationClient.segment(space)
                + "?suggested_only=perhaps"), 400, "M_INVALID_PARAM");
        expectRemoteError(fromA.get(bServer, "/_matrix/federation/v1/hierarchy/not-a-room"), 400, "M_INVALID_PARAM");
    }

    private static void expectRemoteError(Mono<JsonNode> request, int status, String errcode) {
        assertThatThrownBy(() -> request.block(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errcode()).hasValue(errcode);
                });
    }

    private static void awaitInvite(String roomId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Map<String, Object> sync = get(a(), alice, "/_matrix/client/v3/sync?timeout=2000");
            Map<?, ?> rooms = (Map<?, ?>) sync.get("rooms");
            Map<?, ?> invites = rooms == null ? null : (Map<?, ?>) rooms.get("invite");
            if (invites != null && invites.get(roomId) != null) {
                return;
            }
            assertThat(System.nanoTime()).as("waiting for the invite").isLessThan(deadline);
        }
    }
}
