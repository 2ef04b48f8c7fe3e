package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.myelin.homeserver.federation.FederatedJson.await;
import static org.myelin.homeserver.federation.FederatedJson.get;
import static org.myelin.homeserver.federation.FederatedJson.post;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.homeserver.e2ee.TestDevice;
import org.myelin.homeserver.support.Accounts;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A's cached copy of B's users' device lists when updates go missing: an {@code m.device_list_update} whose
 * {@code prev_id} names a change A never saw makes A re-read the list with {@code /user/devices} (and not apply
 * the update); when that re-read fails the copy is stale, /keys/query names B in {@code failures} instead of
 * answering from it, and the next query re-reads it; and a user who stops sharing every room with A's users (so B
 * stops sending A their updates) is re-read when they share one again. The gap updates are crafted by the test and
 * sent in a transaction signed by B.
 */
@RequiresPostgres
class FederationDeviceListResyncIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TXN = new AtomicInteger();
    private static FederatedServers servers;
    private static Accounts.Session alice;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"), List.of());
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void anUpdateAfterAGapIsNotAppliedButTheListIsReReadFromTheUsersServer() throws Exception {
        Accounts.Session bob = servers.get(1).accounts().register("bob", "a long password for bob");
        shareRoom(bob);
        upload(bob, new TestDevice(bob.userId(), bob.deviceId()));
        long stream = awaitCachedAtServersStream(bob);
        long before = cached(bob).updatedTs();
        String since = get(a(), alice, "/_matrix/client/v3/sync?timeout=0").path("next_batch").stringValue();

        sendUpdateAfterGap(bob, "GHOST", stream + 1000);

        await("A re-read bob's list", () -> cached(bob).updatedTs() > before);
        Cached after = cached(bob);
        assertThat(after.streamId()).as("the stream position B answered, not the update's").isEqualTo(stream);
        assertThat(after.stale()).isFalse();
        JsonNode keys = query(bob);
        assertThat(keys.path("device_keys").path(bob.userId()).has(bob.deviceId())).isTrue();
        assertThat(keys.path("device_keys").path(bob.userId()).has("GHOST")).as("the update after the gap").isFalse();
        assertThat(keys.path("failures").isEmpty()).isTrue();
        assertThat(get(a(), alice, "/_matrix/client/v3/sync?timeout=0&since=" + since).path("device_lists")
                .path("changed").toString()).contains(bob.userId());
    }

    @Test
    void aFailedReReadMarksTheCopyStaleAndTheNextQueryReReadsIt() throws Exception {
        Accounts.Session carol = servers.get(1).accounts().register("carol", "a long password for carol");
        shareRoom(carol);
        upload(carol, new TestDevice(carol.userId(), carol.deviceId()));
        long stream = awaitCachedAtServersStream(carol);

        FederationListener listener = servers.get(1).bean(FederationListener.class);
        listener.stop();
        try {
            sendUpdateAfterGap(carol, "GHOST", stream + 1000);
            await("A marked carol's copy stale", () -> cached(carol).stale());
            JsonNode keys = query(carol);
            assertThat(keys.path("device_keys").has(carol.userId())).as("no list answered from a stale copy")
                    .isFalse();
            assertThat(keys.path("failures").path(servers.get(1).name()).path("status").intValue()).isEqualTo(503);
            assertThat(cached(carol).stale()).isTrue();
        } finally {
            listener.start();
        }

        JsonNode keys = query(carol);
        assertThat(keys.path("failures").isEmpty()).isTrue();
        assertThat(keys.path("device_keys").path(carol.userId()).has(carol.deviceId())).isTrue();
        assertThat(keys.path("device_keys").path(carol.userId()).has("GHOST")).isFalse();
        Cached after = cached(carol);
        assertThat(after.stale()).as("re-read by the query").isFalse();
        assertThat(after.streamId()).isEqualTo(stream);
    }

    @Test
    void aUserWhoStoppedSharingRoomsIsReReadWhenTheyShareOneAgain() throws Exception {
        Accounts.Session dave = servers.get(1).accounts().register("dave", "a long password for dave");
        String roomId = shareRoom(dave);
        upload(dave, new TestDevice(dave.userId(), dave.deviceId()));
        awaitCachedAtServersStream(dave);
        assertThat(query(dave).path("device_keys").path(dave.userId()).has(dave.deviceId())).isTrue();

        post(b(), dave, "/_matrix/client/v3/rooms/" + roomId + "/leave", "{}");
        await("dave's leave reaches A", () -> !joined(roomId).has(dave.userId()));
        await("no shared room (B stops sending dave's updates): A's copy is stale", () -> cached(dave).stale());

        // Unseen by A: B sends device-list updates only to the servers sharing a room with dave.
        Accounts.Session phone = servers.get(1).accounts().login(dave.userId(), "a long password for dave", false);
        upload(phone, new TestDevice(dave.userId(), phone.deviceId()));
        post(b(), dave, "/_matrix/client/v3/logout", "{}");

        join(phone, roomId);
        JsonNode keys = query(dave);
        assertThat(keys.path("failures").isEmpty()).isTrue();
        assertThat(keys.path("device_keys").path(dave.userId()).has(phone.deviceId())).isTrue();
        assertThat(keys.path("device_keys").path(dave.userId()).has(dave.deviceId())).as("logged out meanwhile")
                .isFalse();
        assertThat(cached(dave).stale()).isFalse();
    }

    /** A's row of {@code remote_device_lists}. */
    private record Cached(long streamId, boolean stale, long updatedTs) {
    }

    private static Cached cached(Accounts.Session user) {
        Database db = servers.get(0).bean(Database.class);
        return db.one(db.sql("SELECT stream_id, stale, updated_ts FROM remote_device_lists WHERE user_id = :u")
                .bind("u", user.userId()), r -> new Cached(r.longValue("stream_id"), r.bool("stale"),
                r.longValue("updated_ts"))).defaultIfEmpty(new Cached(-1, true, -1)).block(Duration.ofSeconds(10));
    }

    /** Waits until A caches the user's list, fresh, at the position B's /user/devices answers; returns it. */
    private static long awaitCachedAtServersStream(Accounts.Session user) throws Exception {
        FederationClient fromA = servers.get(0).bean(FederationClient.class);
        long[] stream = {-2};
        await("A caches " + user.userId() + " as B has it", () -> {
            stream[0] = fromA.get(ServerName.parse(servers.get(1).name()), "/_matrix/federation/v1/user/devices/"
                    + FederationClient.segment(user.userId())).block(Duration.ofSeconds(30)).path("stream_id")
                    .longValue();
            Cached c = cached(user);
            return !c.stale() && c.streamId() == stream[0];
        });
        return stream[0];
    }

    /** An m.device_list_update of a new device whose prev_id names a position A never saw, signed by B. */
    private static void sendUpdateAfterGap(Accounts.Session user, String deviceId, long streamId) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("user_id", user.userId())
                .put("device_id", deviceId).put("stream_id", streamId);
        content.putArray("prev_id").add(streamId - 1);
        content.set("keys", new TestDevice(user.userId(), deviceId).deviceKeys());
        ObjectNode txn = JsonNodeFactory.instance.objectNode().put("origin", servers.get(1).name())
                .put("origin_server_ts", System.currentTimeMillis());
        txn.putArray("pdus");
        txn.putArray("edus").addObject().put("edu_type", "m.device_list_update").set("content", content);
        servers.get(1).bean(FederationClient.class).send(ServerName.parse(servers.get(0).name()), "PUT",
                "/_matrix/federation/v1/send/gap" + TXN.incrementAndGet(), txn).block(Duration.ofSeconds(30));
    }

    /** Alice creates a room on A and the user of B joins it; returns the room. */
    private static String shareRoom(Accounts.Session remote) throws Exception {
        String roomId = post(a(), alice, "/_matrix/client/v3/createRoom", "{\"preset\":\"public_chat\"}")
                .path("room_id").stringValue();
        join(remote, roomId);
        return roomId;
    }

    private static void join(Accounts.Session remote, String roomId) throws Exception {
        b().post().uri(u -> u.path("/_matrix/client/v3/join/{room}").queryParam("server_name", servers.get(0).name())
                        .build(roomId)).header("Authorization", remote.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isOk();
        await(remote.userId() + "'s join reaches A", () -> joined(roomId).has(remote.userId()));
    }

    private static JsonNode joined(String roomId) {
        return get(a(), alice, "/_matrix/client/v3/rooms/" + roomId + "/joined_members").path("joined");
    }

    private static void upload(Accounts.Session session, TestDevice device) {
        ObjectNode upload = JSON.createObjectNode();
        upload.set("device_keys", device.deviceKeys());
        post(b(), session, "/_matrix/client/v3/keys/upload", upload.toString());
    }

    private static JsonNode query(Accounts.Session user) {
        return post(a(), alice, "/_matrix/client/v3/keys/query", "{\"device_keys\":{\"" + user.userId() + "\":[]}}");
    }

    private static WebTestClient a() {
        return servers.get(0).http();
    }

    private static WebTestClient b() {
        return servers.get(1).http();
    }

}
