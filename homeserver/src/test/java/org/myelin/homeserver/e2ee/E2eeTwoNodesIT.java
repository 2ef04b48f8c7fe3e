package org.myelin.homeserver.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.LongPoll;
import org.myelin.homeserver.support.Accounts;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.MatrixErrors;
import org.myelin.homeserver.support.TwoNodeIT;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.node.ObjectNode;

/**
 * Two nodes on one database: concurrent claims of one device's one-time keys hand out each key at most once, and a
 * key upload on one node wakes a /sync long-poll waiting on the other.
 */
class E2eeTwoNodesIT extends TwoNodeIT {

    private static final int KEYS = 10;
    private static final int CLAIMS = 40;

    @Test
    void concurrentClaimsOnTwoNodesShouldHandOutEachOneTimeKeyAtMostOnce() throws Exception {
        Session alice = accounts.register(unique("cta"), "pw-cta-1");
        Session bob = new Accounts(nodeB).register(unique("ctb"), "pw-ctb-1");
        TestDevice device = new TestDevice(alice.userId(), alice.deviceId());
        ObjectNode body = TestDevice.JSON.createObjectNode();
        body.set("one_time_keys", device.oneTimeKeys("K", KEYS));
        body.putObject("fallback_keys").set("signed_curve25519:FB", device.signedKey("fallback", true));
        post("/_matrix/client/v3/keys/upload", body.toString(), alice.accessToken()).expectStatus().isOk();
        String claim = "{\"one_time_keys\":{\"" + alice.userId() + "\":{\"" + alice.deviceId()
                + "\":\"signed_curve25519\"}}}";

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<CompletableFuture<String>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < CLAIMS; i++) {
                WebTestClient node = i % 2 == 0 ? http : nodeB;
                String token = i % 2 == 0 ? alice.accessToken() : bob.accessToken();
                claims.add(CompletableFuture.supplyAsync(() -> claimedKeyId(node, token, claim, alice), pool));
            }
            List<String> handedOut = new ArrayList<>();
            for (CompletableFuture<String> c : claims) {
                handedOut.add(c.get());
            }
            List<String> oneTime = handedOut.stream().filter(id -> !id.endsWith(":FB")).toList();
            Set<String> distinct = new HashSet<>(oneTime);
            assertThat(distinct).as("no one-time key twice").hasSameSizeAs(oneTime);
            assertThat(oneTime).as("every one-time key handed out").hasSize(KEYS);
            assertThat(handedOut).filteredOn(id -> id.endsWith(":FB")).hasSize(CLAIMS - KEYS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyUploadOnOneNodeShouldWakeALongPollOnTheOther() throws Exception {
        Session alice = accounts.register(unique("ctc"), "pw-ctc-1");
        Session bob = new Accounts(nodeB).register(unique("ctd"), "pw-ctd-1");
        String room = (String) MatrixErrors.body(post("/_matrix/client/v3/createRoom", Map.of("preset",
                "public_chat"), alice.accessToken()).expectStatus().isOk()).get("room_id");
        nodeB.post().uri("/_matrix/client/v3/rooms/" + room + "/join").header("Authorization", bob.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of()).exchange().expectStatus().isOk();
        String initial = (String) syncOnB(bob, "/_matrix/client/v3/sync?timeout=0").get("next_batch");
        // The first incremental sync after an initial one returns at once (coming online): settle first.
        String since = (String) syncOnB(bob, "/_matrix/client/v3/sync?timeout=0&since=" + initial).get("next_batch");
        LongPoll polls = nodeBBean(LongPoll.class);
        int parked = polls.parked();

        CompletableFuture<Map<String, Object>> waiting = CompletableFuture.supplyAsync(
                () -> syncOnB(bob, "/_matrix/client/v3/sync?timeout=20000&since=" + since));
        awaitCondition(() -> polls.parked() > parked, "bob's long-poll to park on node B");
        ObjectNode keys = TestDevice.JSON.createObjectNode();
        keys.set("device_keys", new TestDevice(alice.userId(), alice.deviceId()).deviceKeys());
        post("/_matrix/client/v3/keys/upload", keys.toString(), alice.accessToken()).expectStatus().isOk();

        assertThat(E2eeIT.at(waiting.get(), "device_lists", "changed")).isEqualTo(List.of(alice.userId()));
    }

    private Map<String, Object> syncOnB(Session session, String uri) {
        return MatrixErrors.body(nodeB.get().uri(uri).header("Authorization", session.bearer()).exchange()
                .expectStatus().isOk());
    }

    private static String claimedKeyId(WebTestClient node, String token, String claim, Session owner) {
        Map<String, Object> body = MatrixErrors.body(node.post().uri("/_matrix/client/v3/keys/claim")
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(claim).exchange().expectStatus().isOk());
        Map<String, Object> keys = E2eeIT.mapAt(body, "one_time_keys", owner.userId(),
                owner.deviceId());
        return keys.keySet().iterator().next();
    }
}
