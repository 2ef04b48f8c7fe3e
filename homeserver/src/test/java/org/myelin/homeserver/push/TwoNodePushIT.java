package org.myelin.homeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.support.Database;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.TwoNodeIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two nodes on one database both run push evaluation and delivery: each event is evaluated once per local member
 * (one {@code event_push_actions} row each) and delivered once per pusher, to a real push gateway on loopback,
 * whichever node the events were sent through.
 */
@TestPropertySource(properties = "myelin.outbound.allowed-cidrs=127.0.0.0/8")
class TwoNodePushIT extends TwoNodeIT {

    private static final String V3 = "/_matrix/client/v3";
    private static final int MESSAGES = 20;
    private static PushGateway gateway;

    @Autowired
    private Database db;

    private int txn;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new PushGateway();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Override
    protected List<String> nodeBArguments() {
        return List.of("--myelin.outbound.allowed-cidrs=127.0.0.0/8");
    }

    @Test
    void eachEventShouldBeEvaluatedAndPushedExactlyOncePerPusherAcrossNodes() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        Session bob = accounts.register(unique("bob"), "pw-bob-1");
        Session carol = accounts.register(unique("carol"), "pw-carol-1");
        String roomId = (String) ok(call(http, alice, "POST", V3 + "/createRoom", Map.of("preset", "public_chat")))
                .get("room_id");
        ok(call(nodeB, bob, "POST", V3 + "/rooms/" + roomId + "/join", Map.of()));
        ok(call(http, carol, "POST", V3 + "/rooms/" + roomId + "/join", Map.of()));
        String onA = "a-" + bob.deviceId();
        String onB = "b-" + bob.deviceId();
        ok(call(http, bob, "POST", V3 + "/pushers/set", pusher(onA)));
        ok(call(nodeB, bob, "POST", V3 + "/pushers/set", pusher(onB)));

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            WebTestClient node = i % 2 == 0 ? http : nodeB;
            sent.add((String) ok(call(node, alice, "PUT", V3 + "/rooms/" + roomId + "/send/m.room.message/t"
                    + (++txn), Map.of("msgtype", "m.text", "body", "message " + i))).get("event_id"));
        }

        awaitCondition(() -> gateway.receivedFor(onA).size() >= MESSAGES && gateway.receivedFor(onB).size()
                >= MESSAGES && pendingDeliveries(bob) == 0, "every push delivered");
        Thread.sleep(Duration.ofSeconds(3).toMillis());
        for (String pushkey : List.of(onA, onB)) {
            assertThat(gateway.receivedFor(pushkey)).extracting(n -> n.path("event_id").asString())
                    .as("pushes to " + pushkey).containsExactlyInAnyOrderElementsOf(sent);
        }
        assertThat(actions(bob, sent)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(actions(carol, sent)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(actions(alice, sent)).as("the sender is not notified").isEmpty();
    }

    /** The events of {@code events} the user has an event_push_actions row for, one entry per row. */
    private List<String> actions(Session user, List<String> events) {
        return db.many(db.sql("SELECT event_id FROM event_push_actions WHERE user_id = :u AND event_id = ANY(:e)")
                .bind("u", user.userId()).bind("e", events.toArray(String[]::new)), row -> row.string("event_id"))
                .block(Duration.ofSeconds(10));
    }

    private long pendingDeliveries(Session user) {
        return db.one(db.sql("SELECT count(*) AS n FROM push_deliveries WHERE user_id = :u").bind("u",
                user.userId()), row -> row.longValue("n")).block(Duration.ofSeconds(10));
    }

    private static Map<String, Object> pusher(String pushkey) {
        return Map.of("kind", "http", "app_id", "org.example.nodes", "pushkey", pushkey, "app_display_name",
                "Test app", "device_display_name", "Test device", "lang", "en", "data", Map.of("url",
                        gateway.url()));
    }

    private static WebTestClient.ResponseSpec call(WebTestClient node, Session session, String method, String uri,
            Object body) {
        return node.method(HttpMethod.valueOf(method)).uri(uri)
                .header("Authorization", session.bearer()).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }
}
