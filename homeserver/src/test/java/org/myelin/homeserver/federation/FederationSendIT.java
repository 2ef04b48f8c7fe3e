package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.room.EventRow;
import org.myelin.db.room.EventStatus;
import org.myelin.db.testing.RequiresPostgres;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.Pdu;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.room.RoomVersions;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.client.RemoteServerException;
import org.myelin.homeserver.support.Accounts;
import org.myelin.room.graph.RoomStore;
import org.springframework.http.MediaType;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code PUT /send/{txnId}} between two real servers: B builds and signs PDUs for its users and sends them to A,
 * where alice has a public room (version 10). Valid events reach alice; forged, tampered, unauthorised, soft-failed,
 * oversized, misrouted and misattributed ones are refused as the spec says, and nothing refused is shown.
 */
@RequiresPostgres
class FederationSendIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger TXN = new AtomicInteger();
    private static FederatedServers servers;
    private static ServerName a;
    private static ServerName b;
    private static Accounts.Session alice;
    private static String roomId;
    private static String createId;
    private static String powerId;
    private static String joinRulesId;
    private static EventSigning bSigning;
    private static String mallory;
    private static String malloryJoin;

    @BeforeAll
    static void start() throws Exception {
        servers = FederatedServers.start(List.of("127.0.0.1", "localhost"), List.of());
        a = ServerName.parse(servers.get(0).name());
        b = ServerName.parse(servers.get(1).name());
        bSigning = new EventSigning(b, servers.get(1).bean(SigningKey.class), new SecureRandom());
        alice = servers.get(0).accounts().register("alice", "a long password for alice");
        roomId = createRoom();
        Map<String, String> state = stateIds(roomId);
        createId = state.get("m.room.create");
        powerId = state.get("m.room.power_levels");
        joinRulesId = state.get("m.room.join_rules");
        mallory = "@mallory:" + b;
        ObjectNode join = proto(mallory, "m.room.member", mallory, JsonNodeFactory.instance.objectNode()
                .put("membership", "join"), extremities(), List.of(createId, powerId, joinRulesId));
        malloryJoin = eventId(join);
        assertThat(send(List.of(join)).path("pdus").path(malloryJoin).isEmpty()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    private static String createRoom() {
        Map<?, ?> created = servers.get(0).http().post().uri("/_matrix/client/v3/createRoom")
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("preset", "public_chat", "room_version", "10")).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("room_id");
    }

    private static Map<String, String> stateIds(String room) {
        List<?> state = servers.get(0).http().get().uri("/_matrix/client/v3/rooms/{r}/state", room)
                .header("Authorization", alice.bearer()).exchange().expectStatus().isOk()
                .expectBody(List.class).returnResult().getResponseBody();
        Map<String, String> ids = new HashMap<>();
        for (Object o : state) {
            Map<?, ?> e = (Map<?, ?>) o;
            if ("".equals(e.get("state_key"))) {
                ids.put((String) e.get("type"), (String) e.get("event_id"));
            }
        }
        return ids;
    }

    private static RoomStore aStore() {
        return servers.get(0).bean(RoomStore.class);
    }

    private static List<String> extremities() {
        return aStore().extremities().list(roomId).block(Duration.ofSeconds(10));
    }

    private static long depthAfter(List<String> prevs) {
        return prevs.stream().map(id -> aStore().events().find(id).block(Duration.ofSeconds(10)))
                .filter(Objects::nonNull).mapToLong(EventRow::depth).max().orElse(1) + 1;
    }

    /** An unsigned event of B's in alice's room. */
    private static ObjectNode proto(String sender, String type, String stateKey, ObjectNode content, List<String> prevs,
                                    List<String> auth) {
        ObjectNode proto = JsonNodeFactory.instance.objectNode().put("room_id", roomId).put("sender", sender)
                .put("type", type).put("origin_server_ts", System.currentTimeMillis()).put("depth", depthAfter(prevs));
        if (stateKey != null) {
            proto.put("state_key", stateKey);
        }
        proto.set("content", content);
        prevs.forEach(proto.putArray("prev_events")::add);
        auth.forEach(proto.putArray("auth_events")::add);
        return bSigning.sign(proto, RoomVersions.V10).event();
    }

    private static ObjectNode message(String sender, String body, List<String> prevs, List<String> auth) {
        return proto(sender, "m.room.message", null, JsonNodeFactory.instance.objectNode().put("msgtype", "m.text")
                .put("body", body), prevs, auth);
    }

    private static String eventId(ObjectNode signed) {
        return Pdu.of(signed, RoomVersions.V10).eventId().value();
    }

    private static JsonNode send(List<? extends JsonNode> pdus) {
        return send("txn" + TXN.incrementAndGet(), pdus, b.value());
    }

    private static JsonNode send(String txnId, List<? extends JsonNode> pdus, String origin) {
        ObjectNode txn = JsonNodeFactory.instance.objectNode().put("origin", origin)
                .put("origin_server_ts", System.currentTimeMillis());
        pdus.forEach(txn.putArray("pdus")::add);
        txn.putArray("edus");
        return servers.get(1).bean(FederationClient.class).send(a, "PUT", "/_matrix/federation/v1/send/" + txnId, txn)
                .block(Duration.ofSeconds(30));
    }

    private static EventStatus status(String eventId) {
        return aStore().events().status(eventId).block(Duration.ofSeconds(10));
    }

    private static List<String> aliceSees() {
        Map<?, ?> page = servers.get(0).http().get()
                .uri("/_matrix/client/v3/rooms/{r}/messages?dir=b&limit=100", roomId)
                .header("Authorization", alice.bearer()).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        List<String> ids = new ArrayList<>();
        ((List<?>) page.get("chunk")).forEach(e -> ids.add((String) ((Map<?, ?>) e).get("event_id")));
        return ids;
    }

    @Test
    void aRemoteUsersJoinAndMessageReachTheLocalUser() {
        ObjectNode hello = message(mallory, "hello from B", extremities(), List.of(createId, powerId, malloryJoin));
        JsonNode answer = send(List.of(hello));

        assertThat(answer.path("pdus").path(eventId(hello)).isEmpty()).isTrue();
        assertThat(aliceSees()).contains(malloryJoin, eventId(hello));
        assertThat(status(eventId(hello)).accepted()).isTrue();
    }

    @Test
    void aRetriedTransactionGetsTheFirstAnswerAndIsNotProcessedAgain() {
        ObjectNode first = message(mallory, "first", extremities(), List.of(createId, powerId, malloryJoin));
        ObjectNode other = message(mallory, "other", List.of(eventId(first)), List.of(createId, powerId, malloryJoin));
        JsonNode answer = send("retried", List.of(first), b.value());
        JsonNode again = send("retried", List.of(other), b.value());

        assertThat(again).isEqualTo(answer);
        assertThat(status(eventId(other))).isNull();
    }

    @Test
    void aPduWithAForgedSignatureIsDroppedAndNotStored() {
        EventSigning forger = new EventSigning(b, SigningKey.generate(servers.get(1).bean(SigningKey.class).keyId(),
                new SecureRandom()), new SecureRandom());
        ObjectNode proto = message(mallory, "forged", extremities(), List.of(createId, powerId, malloryJoin));
        proto.remove(List.of("signatures", "hashes"));
        ObjectNode forged = forger.sign(proto, RoomVersions.V10).event();

        JsonNode answer = send(List.of(forged));

        assertThat(answer.path("pdus").path(eventId(forged)).path("error").stringValue()).contains("signature");
        assertThat(status(eventId(forged))).isNull();
    }

    @Test
    void aPduWithAWrongContentHashIsStoredRedacted() {
        ObjectNode tampered = message(mallory, "original", extremities(), List.of(createId, powerId, malloryJoin));
        ((ObjectNode) tampered.get("content")).put("body", "tampered");

        send(List.of(tampered));

        String json = aStore().events().find(eventId(tampered)).block(Duration.ofSeconds(10)).json();
        assertThat(JSON.readTree(json).path("content").isEmpty()).isTrue();
    }

    @Test
    void aPduThatFailsItsAuthEventsIsRejectedAndNotShown() {
        ObjectNode intruder = message("@eve:" + b, "not a member", extremities(), List.of(createId, powerId));

        JsonNode answer = send(List.of(intruder));

        assertThat(answer.path("pdus").has(eventId(intruder))).isTrue();
        assertThat(status(eventId(intruder)).rejectedReason()).isNotNull();
        assertThat(aliceSees()).doesNotContain(eventId(intruder));
    }

    @Test
    void aPduThatFailsOnlyTheCurrentStateIsSoftFailedNeitherShownNorAPrevEvent() {
        String eve = "@eve2:" + b;
        ObjectNode eveJoin = proto(eve, "m.room.member", eve, JsonNodeFactory.instance.objectNode()
                .put("membership", "join"), extremities(), List.of(createId, powerId, joinRulesId));
        send(List.of(eveJoin));
        List<String> beforeBan = extremities();
        servers.get(0).http().post().uri("/_matrix/client/v3/rooms/{r}/ban", roomId)
                .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("user_id", eve)).exchange().expectStatus().isOk();
        ObjectNode late = message(eve, "sent before I saw the ban", beforeBan,
                List.of(createId, powerId, eventId(eveJoin)));

        send(List.of(late));

        assertThat(status(eventId(late)).softFailed()).isTrue();
        assertThat(aliceSees()).doesNotContain(eventId(late));
        assertThat(extremities()).doesNotContain(eventId(late));
    }

    @Test
    void aTransactionLargerThanAClientBodyIsAccepted() {
        List<ObjectNode> batch = new ArrayList<>();
        List<String> prevs = extremities();
        for (int i = 0; i < 20; i++) {
            ObjectNode big = message(mallory, i + "x".repeat(60_000), prevs, List.of(createId, powerId, malloryJoin));
            batch.add(big);
            prevs = List.of(eventId(big));
        }

        JsonNode answer = send(batch);

        assertThat(answer.path("pdus").size()).isEqualTo(20);
        batch.forEach(pdu -> assertThat(status(eventId(pdu)).accepted()).isTrue());
    }

    @Test
    void anOversizedPduIsDropped() {
        ObjectNode huge = message(mallory, "x".repeat(70_000), extremities(), List.of(createId, powerId, malloryJoin));

        JsonNode answer = send(List.of(huge));

        assertThat(answer.path("pdus").path(eventId(huge)).path("error").stringValue()).contains("65536");
        assertThat(status(eventId(huge))).isNull();
    }

    @Test
    void aPduWhosePrevEventsNobodyProvidesIsDropped() {
        ObjectNode orphan = message(mallory, "orphan", List.of("$" + "A".repeat(43)), List.of(createId, powerId, malloryJoin));

        JsonNode answer = send(List.of(orphan));

        assertThat(answer.path("pdus").properties()).singleElement()
                .satisfies(e -> assertThat(e.getValue().path("error").stringValue()).contains("missing"));
    }

    @Test
    void aPduForARoomThisServerIsNotInIsIgnored() {
        ObjectNode elsewhere = message(mallory, "elsewhere", extremities(), List.of(createId, powerId, malloryJoin));
        elsewhere.put("room_id", "!nowhere:" + b);
        ObjectNode signed = bSigning.sign(strip(elsewhere), RoomVersions.V10).event();

        JsonNode answer = send(List.of(signed));

        // As Synapse does, a PDU of a room whose version this server cannot know is left out of the answer.
        assertThat(answer.path("pdus").isEmpty()).isTrue();
        assertThat(status(eventId(signed))).isNull();
    }

    @Test
    void moreThanFiftyPdusIs400() {
        List<ObjectNode> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(JsonNodeFactory.instance.objectNode().put("room_id", roomId));
        }
        assertThatThrownBy(() -> send(many)).isInstanceOfSatisfying(RemoteServerException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.errcode()).hasValue("M_TOO_LARGE");
        });
    }

    @Test
    void aTransactionClaimingAnotherOriginIs403() {
        ObjectNode hello = message(mallory, "spoofed", extremities(), List.of(createId, powerId, malloryJoin));
        assertThatThrownBy(() -> send("spoof", List.of(hello), "evil.example"))
                .isInstanceOfSatisfying(RemoteServerException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errcode()).hasValue("M_FORBIDDEN");
                });
        assertThat(status(eventId(hello))).isNull();
    }

    @Test
    void theRoomsServerAclIsEnforcedPerPdu() {
        String aclRoom = createRoom();
        String previous = roomId;
        roomId = aclRoom;
        try {
            Map<String, String> state = stateIds(aclRoom);
            ObjectNode join = proto(mallory, "m.room.member", mallory, JsonNodeFactory.instance.objectNode()
                    .put("membership", "join"), extremities(), List.of(state.get("m.room.create"),
                    state.get("m.room.power_levels"), state.get("m.room.join_rules")));
            servers.get(0).http().put().uri("/_matrix/client/v3/rooms/{r}/state/m.room.server_acl/", aclRoom)
                    .header("Authorization", alice.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("allow", List.of("*"), "deny", List.of("localhost"))).exchange()
                    .expectStatus().isOk();

            JsonNode answer = send(List.of(join));

            assertThat(answer.path("pdus").path(eventId(join)).path("error").stringValue()).contains("ACL");
            assertThat(status(eventId(join))).isNull();
        } finally {
            roomId = previous;
        }
    }

    private static ObjectNode strip(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove(List.of("signatures", "hashes"));
        return copy;
    }
}
