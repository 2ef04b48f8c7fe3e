package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.myelin.homeserver.federation.FederatedJson.await;
import static org.myelin.homeserver.federation.FederatedJson.get;
import static org.myelin.homeserver.federation.FederatedJson.post;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.homeserver.e2ee.TestDevice;
import org.myelin.homeserver.support.Accounts;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end encryption across two real servers: alice on A, bob on B, sharing a room. Device-list changes reach
 * the other server's /sync, keys are queried and claimed across, to-device messages cross once, and the
 * server-server key endpoints are behind X-Matrix and answer for local users only.
 */
@RequiresPostgres
class FederationE2eeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static FederatedServers servers;
    private static Accounts.Session alice;
    private static Accounts.Session bob;
    private static TestDevice aliceDevice;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"), List.of());
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        bob = servers.get(1).accounts().register("bob", "a long password for bob");
        aliceDevice = new TestDevice(alice.userId(), alice.deviceId());
        JsonNode created = post(a(), alice, "/_matrix/client/v3/createRoom", "{\"preset\":\"public_chat\"}");
        String roomId = created.path("room_id").stringValue();
        b().post().uri(u -> u.path("/_matrix/client/v3/join/{room}").queryParam("server_name", servers.get(0).name())
                        .build(roomId)).header("Authorization", bob.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isOk();
        await("bob's join reaches A", () -> get(a(), alice, "/_matrix/client/v3/rooms/" + roomId + "/joined_members")
                .path("joined").has(bob.userId()));
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void aDeviceListChangeAndTheKeysReachTheOtherServer() throws Exception {
        String since = get(b(), bob, "/_matrix/client/v3/sync?timeout=0").path("next_batch").stringValue();
        ObjectNode upload = JSON.createObjectNode();
        upload.set("device_keys", aliceDevice.deviceKeys());
        upload.set("one_time_keys", aliceDevice.oneTimeKeys("otk", 1));
        post(a(), alice, "/_matrix/client/v3/keys/upload", upload.toString());
        SigningKey master = TestDevice.newKey();
        ObjectNode signing = JSON.createObjectNode();
        signing.set("master_key", aliceDevice.crossSigningKey(master, "master"));
        signing.set("self_signing_key", aliceDevice.sign(aliceDevice.crossSigningKey(TestDevice.newKey(),
                "self_signing"), master, "ed25519:" + TestDevice.publicKey(master)));
        post(a(), alice, "/_matrix/client/v3/keys/device_signing/upload", signing.toString());

        await("alice in bob's device_lists.changed", () -> {
            JsonNode changed = get(b(), bob, "/_matrix/client/v3/sync?timeout=0&since=" + since)
                    .path("device_lists").path("changed");
            for (JsonNode u : changed) {
                if (u.stringValue().equals(alice.userId())) {
                    return true;
                }
            }
            return false;
        });

        await("alice's device and master key in bob's /keys/query", () -> {
            JsonNode keys = post(b(), bob, "/_matrix/client/v3/keys/query",
                    "{\"device_keys\":{\"" + alice.userId() + "\":[]}}");
            return keys.path("device_keys").path(alice.userId()).path(alice.deviceId()).path("keys")
                    .has("ed25519:" + alice.deviceId())
                    && keys.path("master_keys").path(alice.userId()).path("usage").get(0) != null
                    && keys.path("failures").isEmpty();
        });

        String claim = "{\"one_time_keys\":{\"" + alice.userId() + "\":{\"" + alice.deviceId()
                + "\":\"signed_curve25519\"}}}";
        JsonNode first = post(b(), bob, "/_matrix/client/v3/keys/claim", claim);
        assertThat(first.path("one_time_keys").path(alice.userId()).path(alice.deviceId())
                .has("signed_curve25519:otk0")).isTrue();
        JsonNode second = post(b(), bob, "/_matrix/client/v3/keys/claim", claim);
        assertThat(second.path("one_time_keys").path(alice.userId()).path(alice.deviceId()).isEmpty()).isTrue();
        assertThat(second.path("failures").isEmpty()).isTrue();
    }

    @Test
    void aToDeviceMessageCrossesExactlyOnce() throws Exception {
        String since = get(a(), alice, "/_matrix/client/v3/sync?timeout=0").path("next_batch").stringValue();
        String body = "{\"messages\":{\"" + alice.userId() + "\":{\"" + alice.deviceId()
                + "\":{\"hello\":\"from bob\"}}}}";
        for (int i = 0; i < 2; i++) {
            b().put().uri("/_matrix/client/v3/sendToDevice/m.test/txn1").header("Authorization", bob.bearer())
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk();
        }
        String[] token = {since};
        int[] seen = {0};
        await("bob's to-device message on A", () -> {
            JsonNode sync = get(a(), alice, "/_matrix/client/v3/sync?timeout=0&since=" + token[0]);
            token[0] = sync.path("next_batch").stringValue();
            for (JsonNode e : sync.path("to_device").path("events")) {
                if ("m.test".equals(e.path("type").stringValue()) && bob.userId().equals(e.path("sender")
                        .stringValue())) {
                    seen[0]++;
                }
            }
            return seen[0] > 0;
        });
        b().put().uri("/_matrix/client/v3/sendToDevice/m.test/txn2").header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body.replace("from bob", "second"))
                .exchange().expectStatus().isOk();
        await("the second message on A", () -> {
            JsonNode sync = get(a(), alice, "/_matrix/client/v3/sync?timeout=0&since=" + token[0]);
            token[0] = sync.path("next_batch").stringValue();
            boolean second = false;
            for (JsonNode e : sync.path("to_device").path("events")) {
                if ("from bob".equals(e.path("content").path("hello").stringValue())) {
                    seen[0]++;
                }
                second |= "second".equals(e.path("content").path("hello").stringValue());
            }
            return second;
        });
        assertThat(seen[0]).isEqualTo(1);
    }

    @Test
    void theKeyEndpointsNeedASignatureAndAnswerForLocalUsersOnly() {
        FederationClient fromB = servers.get(1).bean(FederationClient.class);
        ServerName a = ServerName.parse(servers.get(0).name());
        expectRemoteError(fromB.getUnsigned(a, "/_matrix/federation/v1/user/devices/"
                + FederationClient.segment(alice.userId())), 401, "M_UNAUTHORIZED");
        expectRemoteError(fromB.get(a, "/_matrix/federation/v1/user/devices/"
                + FederationClient.segment(bob.userId())), 400, "M_INVALID_PARAM");
        expectRemoteError(fromB.send(a, "POST", "/_matrix/federation/v1/user/keys/query",
                JSON.readTree("{\"device_keys\":{\"" + bob.userId() + "\":[]}}")), 400, "M_INVALID_PARAM");
        expectRemoteError(fromB.send(a, "POST", "/_matrix/federation/v1/user/keys/claim",
                JSON.readTree("{\"one_time_keys\":{\"" + bob.userId() + "\":{\"D\":\"signed_curve25519\"}}}")),
                400, "M_INVALID_PARAM");
        expectRemoteError(fromB.send(a, "POST", "/_matrix/federation/v1/user/keys/query",
                JSON.readTree("{}")), 400, "M_MISSING_PARAM");

        JsonNode devices = fromB.get(a, "/_matrix/federation/v1/user/devices/"
                + FederationClient.segment(alice.userId())).block(Duration.ofSeconds(30));
        assertThat(devices.path("user_id").stringValue()).isEqualTo(alice.userId());
        assertThat(devices.path("stream_id").isIntegralNumber()).isTrue();
        assertThat(devices.path("devices").isArray()).isTrue();
    }

    private static WebTestClient a() {
        return servers.get(0).http();
    }

    private static WebTestClient b() {
        return servers.get(1).http();
    }

    private static void expectRemoteError(Mono<JsonNode> request, int status, String errcode) {
        assertThatThrownBy(() -> request.block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errcode()).hasValue(errcode);
                });
    }
}
