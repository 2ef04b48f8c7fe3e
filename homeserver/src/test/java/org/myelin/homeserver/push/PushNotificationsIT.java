package org.myelin.homeserver.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import tools.jackson.databind.JsonNode;

/**
 * Push end to end: rule evaluation after each send, unread counts in /sync per thread and their reset by
 * receipts and by sending, GET /notifications, the pushers API with its failures, delivery to a real push gateway on
 * loopback (counts, formats, a retry after a 500, a rejected pushkey), and pushers going with their device.
 */
@TestPropertySource(properties = {"myelin.outbound.allowed-cidrs=127.0.0.0/8", "myelin.push.retry-initial=200ms",
        "myelin.push.retry-max=1s"})
class PushNotificationsIT extends HomeserverIT {

    private static final String V3 = "/_matrix/client/v3";
    private static final String THREADED = "{\"room\":{\"timeline\":{\"unread_thread_notifications\":true}}}";
    private static final AtomicInteger TXN = new AtomicInteger();
    private static PushGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = new PushGateway();
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    private Session user(String prefix) {
        return accounts.register(unique(prefix), "pw-" + prefix);
    }

    private WebTestClient.ResponseSpec request(HttpMethod method, String uri, Object body, Session s) {
        WebTestClient.RequestBodySpec spec = http.method(method).uri(uri);
        if (s != null) {
            spec = spec.header("Authorization", s.bearer());
        }
        return body == null ? spec.exchange() : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String room(Session creator, Session... joiners) {
        String roomId = (String) ok(post(V3 + "/createRoom", Map.of("preset", "public_chat"), creator.accessToken()))
                .get("room_id");
        for (Session s : joiners) {
            ok(post(V3 + "/rooms/" + roomId + "/join", Map.of(), s.accessToken()));
        }
        return roomId;
    }

    private String send(Session s, String roomId, Map<String, Object> content) {
        return (String) ok(request(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/send/m.room.message/t"
                + TXN.incrementAndGet(), content, s)).get("event_id");
    }

    private String say(Session s, String roomId, String body) {
        return send(s, roomId, Map.of("msgtype", "m.text", "body", body));
    }

    private void receipt(Session s, String roomId, String type, String eventId, String threadId) {
        Map<String, Object> body = threadId == null ? Map.of() : Map.of("thread_id", threadId);
        ok(post(V3 + "/rooms/" + roomId + "/receipt/" + type + "/" + eventId, body, s.accessToken()));
    }

    private Map<String, Object> sync(Session s, String filter) {
        WebTestClient.RequestHeadersSpec<?> spec = filter == null ? http.get().uri(V3 + "/sync?timeout=0")
                : http.get().uri(V3 + "/sync?timeout=0&filter={filter}", filter);
        return ok(spec.header("Authorization", s.bearer()).exchange());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Map<String, Object> node = map;
        for (String key : path) {
            node = node == null ? null : (Map<String, Object>) node.get(key);
        }
        return node;
    }

    private static Map<String, Object> counts(long notifications, long highlights) {
        return Map.of("notification_count", notifications, "highlight_count", highlights);
    }

    /** Polls /sync until the room's counts (and, with the threaded filter, its threads' counts) are as expected. */
    private void awaitUnread(Session s, String roomId, String filter, Map<String, Object> main,
            Map<String, Object> threads) throws InterruptedException {
        Map<String, Object>[] last = new Map[1];
        try {
            awaitCondition(() -> {
                last[0] = at(sync(s, filter), "rooms", "join", roomId);
                return last[0] != null && numbers(last[0].get("unread_notifications")).equals(main)
                        && numbers(last[0].get("unread_thread_notifications")).equals(threads == null ? Map.of()
                                : numbers(threads));
            }, "unread counts " + main + " " + threads);
        } catch (AssertionError e) {
            throw new AssertionError("last room section: " + last[0], e);
        }
    }

    /** Maps with every integer as a long, so JSON numbers compare with the expected ones. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> numbers(Object value) {
        Map<String, Object> out = new HashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put((String) k, v instanceof Number n ? (Object) n.longValue()
                    : v instanceof Map<?, ?> ? numbers(v) : v));
        }
        return out;
    }

    @Test
    void unreadCountsShouldFollowRulesThreadsReceiptsAndSending() throws Exception {
        Session alice = user("pna");
        Session bob = user("pnb");
        String roomId = room(alice, bob);
        say(alice, roomId, "hello");
        String mention = send(alice, roomId, Map.of("msgtype", "m.text", "body", "hey you",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        String root = say(alice, roomId, "a thread starts");
        String inThread = send(alice, roomId, Map.of("msgtype", "m.text", "body", "in the thread",
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
        send(alice, roomId, Map.of("msgtype", "m.notice", "body", "notices do not notify"));

        awaitUnread(bob, roomId, null, counts(4, 1), null);
        awaitUnread(bob, roomId, THREADED, counts(3, 1), Map.of(root, counts(1, 0)));
        awaitUnread(alice, roomId, null, counts(0, 0), null);

        receipt(bob, roomId, "m.read", inThread, root);
        awaitUnread(bob, roomId, THREADED, counts(3, 1), null);
        receipt(bob, roomId, "m.read.private", mention, "main");
        awaitUnread(bob, roomId, THREADED, counts(1, 0), null);

        String later = say(alice, roomId, "more");
        send(alice, roomId, Map.of("msgtype", "m.text", "body", "thread again",
                "m.relates_to", Map.of("rel_type", "m.thread", "event_id", root)));
        awaitUnread(bob, roomId, THREADED, counts(2, 0), Map.of(root, counts(1, 0)));
        receipt(bob, roomId, "m.read", later, null);
        awaitUnread(bob, roomId, THREADED, counts(0, 0), Map.of(root, counts(1, 0)));

        say(alice, roomId, "before bob answers");
        awaitUnread(bob, roomId, null, counts(2, 0), null);
        say(bob, roomId, "bob answers");
        awaitUnread(bob, roomId, THREADED, counts(0, 0), Map.of(root, counts(1, 0)));

        ok(request(HttpMethod.PUT, V3 + "/pushrules/global/room/" + roomId, Map.of("actions", List.of()), bob));
        say(alice, roomId, "muted by a room rule");
        say(alice, roomId, "still muted");
        String other = room(alice, bob);
        say(alice, other, "a canary evaluated after the muted ones");
        awaitUnread(bob, other, null, counts(1, 0), null);
        Map<String, Object> room = at(sync(bob, THREADED), "rooms", "join", roomId);
        assertThat(numbers(room.get("unread_notifications"))).isEqualTo(counts(0, 0));
        assertThat(numbers(room.get("unread_thread_notifications"))).isEqualTo(numbers(Map.of(root, counts(1, 0))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void mentionsDisplayNamesAndOneToOneRoomsShouldFollowTheDefaultRules() throws Exception {
        Session alice = user("pnc");
        Session bob = user("pnd");
        Session carol = user("pne");
        ok(request(HttpMethod.PUT, V3 + "/profile/" + carol.userId() + "/displayname",
                Map.of("displayname", "Carol Ann"), carol));
        String roomId = room(alice, bob, carol);
        say(alice, roomId, "@room wake up");
        send(alice, roomId, Map.of("msgtype", "m.text", "body", "everyone", "m.mentions", Map.of("room", true)));
        say(bob, roomId, "is carol ann here?");
        send(bob, roomId, Map.of("msgtype", "m.text", "body", "@room from bob", "m.mentions", Map.of("room", true)));
        awaitUnread(carol, roomId, null, counts(4, 3), null);
        awaitUnread(alice, roomId, null, counts(2, 0), null);

        String direct = room(alice, bob);
        say(alice, direct, "just us");
        awaitUnread(bob, direct, null, counts(1, 0), null);
        Map<String, Object> latest = ((List<Map<String, Object>>) ok(get(V3 + "/notifications?limit=1",
                bob.accessToken())).get("notifications")).get(0);
        assertThat(latest.get("actions")).isEqualTo(List.of("notify", Map.of("set_tweak", "sound", "value",
                "default")));
    }

    @Test
    void membersIgnoringTheSenderShouldNotBeNotified() throws Exception {
        Session alice = user("pnp");
        Session bob = user("pnq");
        Session carol = user("pnr");
        String roomId = room(alice, bob, carol);
        ok(request(HttpMethod.PUT, V3 + "/user/" + bob.userId() + "/account_data/m.ignored_user_list",
                Map.of("ignored_users", Map.of(alice.userId(), Map.of())), bob));
        say(alice, roomId, "bob ignores me");
        say(carol, roomId, "but not me");
        awaitUnread(bob, roomId, null, counts(1, 0), null);
        say(alice, roomId, "still ignored");
        say(carol, roomId, "heard");
        awaitUnread(bob, roomId, null, counts(2, 0), null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void notificationsShouldPageAndFilterAndTellWhatWasRead() throws Exception {
        Session alice = user("pnf");
        Session bob = user("png");
        String roomId = room(alice, bob);
        String first = say(alice, roomId, "one");
        String highlight = send(alice, roomId, Map.of("msgtype", "m.text", "body", "two",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        String third = say(alice, roomId, "three");
        awaitUnread(bob, roomId, null, counts(3, 1), null);
        receipt(bob, roomId, "m.read", first, null);

        Map<String, Object> page = ok(get(V3 + "/notifications?limit=2", bob.accessToken()));
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("notifications");
        assertThat(items).extracting(n -> ((Map<String, Object>) n.get("event")).get("event_id"))
                .containsExactly(third, highlight);
        assertThat(items.get(0)).containsEntry("room_id", roomId).containsEntry("read", false)
                .containsKeys("ts", "actions");
        assertThat((Map<String, Object>) items.get(0).get("event")).containsEntry("type", "m.room.message")
                .containsEntry("sender", alice.userId()).doesNotContainKey("room_id");
        assertThat(items.get(1).get("actions").toString()).contains("highlight");
        Map<String, Object> rest = ok(get(V3 + "/notifications?limit=2&from=" + page.get("next_token"),
                bob.accessToken()));
        List<Map<String, Object>> more = (List<Map<String, Object>>) rest.get("notifications");
        assertThat(more).hasSize(1);
        assertThat(more.get(0)).containsEntry("read", true);
        assertThat(((Map<String, Object>) more.get(0).get("event")).get("event_id")).isEqualTo(first);
        assertThat(rest).doesNotContainKey("next_token");
        List<Object> highlights = (List<Object>) ok(get(V3 + "/notifications?only=highlight", bob.accessToken()))
                .get("notifications");
        assertThat(highlights).hasSize(1);
        assertThat((List<Object>) ok(get(V3 + "/notifications", alice.accessToken())).get("notifications")).isEmpty();

        expectError(get(V3 + "/notifications?limit=abc", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(V3 + "/notifications?limit=0", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(V3 + "/notifications?from=nope", bob.accessToken()), 400, "M_INVALID_PARAM");
        expectError(get(V3 + "/notifications", null), 401, "M_MISSING_TOKEN");
        expectError(get(V3 + "/notifications", "not-a-token"), 401, "M_UNKNOWN_TOKEN");
    }

    private Map<String, Object> pusher(String pushkey, String appId, Map<String, Object> data) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", "http");
        body.put("app_id", appId);
        body.put("pushkey", pushkey);
        body.put("app_display_name", "Test app");
        body.put("device_display_name", "Test device");
        body.put("lang", "en");
        body.put("data", data);
        return body;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> pushers(Session s) {
        return (List<Map<String, Object>>) ok(get(V3 + "/pushers", s.accessToken())).get("pushers");
    }

    @Test
    void pushersShouldBeSetListedReplacedAndDeleted() {
        Session alice = user("pnh");
        Session bob = user("pni");
        Map<String, Object> data = Map.of("url", gateway.url(), "format", "event_id_only", "custom", 7);
        Map<String, Object> body = pusher("key-1", "org.example.app", data);
        body.put("profile_tag", "tag");
        assertThat(ok(post(V3 + "/pushers/set", body, alice.accessToken()))).isEmpty();
        assertThat(pushers(alice)).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("pushkey", "key-1").containsEntry("kind", "http")
                .containsEntry("app_id", "org.example.app").containsEntry("app_display_name", "Test app")
                .containsEntry("device_display_name", "Test device").containsEntry("lang", "en")
                .containsEntry("profile_tag", "tag").containsEntry("data", data));

        Map<String, Object> renamed = pusher("key-1", "org.example.app", Map.of("url", gateway.url()));
        renamed.put("device_display_name", "Renamed");
        ok(post(V3 + "/pushers/set", renamed, alice.accessToken()));
        assertThat(pushers(alice)).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("device_display_name", "Renamed").doesNotContainKey("profile_tag"));

        Map<String, Object> appended = pusher("key-1", "org.example.app", Map.of("url", gateway.url()));
        appended.put("append", true);
        ok(post(V3 + "/pushers/set", appended, bob.accessToken()));
        assertThat(pushers(alice)).hasSize(1);
        ok(post(V3 + "/pushers/set", pusher("key-1", "org.example.app", Map.of("url", gateway.url())),
                bob.accessToken()));
        assertThat(pushers(alice)).isEmpty();
        assertThat(pushers(bob)).hasSize(1);

        Map<String, Object> delete = new HashMap<>();
        delete.put("kind", null);
        delete.put("app_id", "org.example.app");
        delete.put("pushkey", "key-1");
        ok(post(V3 + "/pushers/set", delete, bob.accessToken()));
        assertThat(pushers(bob)).isEmpty();
        ok(post(V3 + "/pushers/set", delete, bob.accessToken()));
    }

    @Test
    void badPushersShouldFailWithTheirStatusAndErrcode() {
        Session alice = user("pnj");
        String token = alice.accessToken();
        Map<String, Object> good = pusher("k", "org.example.app", Map.of("url", gateway.url()));
        Map<String, Object> noKind = new HashMap<>(good);
        noKind.remove("kind");
        expectError(post(V3 + "/pushers/set", noKind, token), 400, "M_MISSING_PARAM");
        for (String field : List.of("app_id", "pushkey", "app_display_name", "device_display_name", "lang", "data")) {
            Map<String, Object> missing = new HashMap<>(good);
            missing.remove(field);
            expectError(post(V3 + "/pushers/set", missing, token), 400, "M_MISSING_PARAM");
        }
        Map<String, Object> badKind = new HashMap<>(good);
        badKind.put("kind", 5);
        expectError(post(V3 + "/pushers/set", badKind, token), 400, "M_BAD_JSON");
        badKind.put("kind", "email");
        expectError(post(V3 + "/pushers/set", badKind, token), 400, "M_INVALID_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k", "a".repeat(65), Map.of("url", gateway.url())), token),
                400, "M_INVALID_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k".repeat(513), "app", Map.of("url", gateway.url())), token),
                400, "M_INVALID_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k", "app", Map.of()), token), 400, "M_MISSING_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k", "app", Map.of("url", 3)), token), 400, "M_BAD_JSON");
        expectError(post(V3 + "/pushers/set", pusher("k", "app", Map.of("url", "https://gw.example/other")), token),
                400, "M_INVALID_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k", "app", Map.of("url", "ftp://gw.example"
                + "/_matrix/push/v1/notify")), token), 400, "M_INVALID_PARAM");
        expectError(post(V3 + "/pushers/set", pusher("k", "app", Map.of("url", "not a url")), token), 400,
                "M_INVALID_PARAM");
        Map<String, Object> badData = new HashMap<>(good);
        badData.put("data", "x");
        expectError(post(V3 + "/pushers/set", badData, token), 400, "M_BAD_JSON");
        Map<String, Object> badAppend = new HashMap<>(good);
        badAppend.put("append", "yes");
        expectError(post(V3 + "/pushers/set", badAppend, token), 400, "M_BAD_JSON");
        expectError(http.post().uri(V3 + "/pushers/set").header("Authorization", alice.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{nope").exchange(), 400, "M_NOT_JSON");
        expectError(post(V3 + "/pushers/set", good, null), 401, "M_MISSING_TOKEN");
        expectError(get(V3 + "/pushers", null), 401, "M_MISSING_TOKEN");
        assertThat(pushers(alice)).isEmpty();
    }

    @Test
    void theGatewayShouldGetEachNotificationWithCountsAndRetriesAndRejections() throws Exception {
        Session alice = user("pnk");
        Session bob = user("pnl");
        String roomId = room(alice, bob);
        ok(request(HttpMethod.PUT, V3 + "/rooms/" + roomId + "/state/m.room.name/", Map.of("name", "Push room"),
                alice));
        ok(post(V3 + "/pushers/set", pusher("full-" + bob.deviceId(), "org.example.full",
                Map.of("url", gateway.url(), "extra", "kept")), bob.accessToken()));
        ok(post(V3 + "/pushers/set", pusher("ids-" + bob.deviceId(), "org.example.ids",
                Map.of("url", gateway.url(), "format", "event_id_only")), bob.accessToken()));
        gateway.answer("full-" + bob.deviceId(), new PushGateway.Answer(500, "{}"));

        String first = say(alice, roomId, "first push");
        awaitCondition(() -> gateway.receivedFor("full-" + bob.deviceId()).size() >= 2
                && !gateway.receivedFor("ids-" + bob.deviceId()).isEmpty(), "a retried push and an id-only push");
        List<JsonNode> full = gateway.receivedFor("full-" + bob.deviceId());
        assertThat(full).extracting(n -> n.path("event_id").asString()).containsExactly(first, first);
        JsonNode n = full.get(1);
        assertThat(n.path("room_id").asString()).isEqualTo(roomId);
        assertThat(n.path("type").asString()).isEqualTo("m.room.message");
        assertThat(n.path("sender").asString()).isEqualTo(alice.userId());
        assertThat(n.path("room_name").asString()).isEqualTo("Push room");
        assertThat(n.path("content").path("body").asString()).isEqualTo("first push");
        assertThat(n.path("counts").path("unread").asInt()).isEqualTo(1);
        assertThat(n.path("prio").asString()).as("a one-to-one room's sound").isEqualTo("high");
        JsonNode device = n.path("devices").path(0);
        assertThat(device.path("app_id").asString()).isEqualTo("org.example.full");
        assertThat(device.path("data").has("url")).isFalse();
        assertThat(device.path("data").path("extra").asString()).isEqualTo("kept");
        assertThat(device.path("pushkey_ts").asLong()).isPositive();
        assertThat(device.path("tweaks").path("sound").asString()).isEqualTo("default");
        JsonNode ids = gateway.receivedFor("ids-" + bob.deviceId()).get(0);
        assertThat(ids.path("event_id").asString()).isEqualTo(first);
        assertThat(ids.path("room_id").asString()).isEqualTo(roomId);
        assertThat(ids.has("content")).isFalse();
        assertThat(ids.has("sender")).isFalse();
        assertThat(ids.path("devices").path(0).path("data").path("format").asString()).isEqualTo("event_id_only");

        gateway.answer("ids-" + bob.deviceId(), new PushGateway.Answer(200,
                "{\"rejected\":[\"ids-" + bob.deviceId() + "\"]}"));
        String second = send(alice, roomId, Map.of("msgtype", "m.text", "body", "second",
                "m.mentions", Map.of("user_ids", List.of(bob.userId()))));
        awaitCondition(() -> pushers(bob).size() == 1, "the rejected pusher to go");
        assertThat(pushers(bob)).singleElement().satisfies(p -> assertThat(p).containsEntry("app_id",
                "org.example.full"));
        awaitCondition(() -> gateway.receivedFor("full-" + bob.deviceId()).size() >= 3, "the second push");
        JsonNode highlight = gateway.receivedFor("full-" + bob.deviceId()).get(2);
        assertThat(highlight.path("event_id").asString()).isEqualTo(second);
        assertThat(highlight.path("prio").asString()).isEqualTo("high");
        assertThat(highlight.path("counts").path("unread").asInt()).isEqualTo(2);
        assertThat(highlight.path("devices").path(0).path("tweaks").path("highlight").asBoolean()).isTrue();
        int before = gateway.receivedFor("ids-" + bob.deviceId()).size();
        say(alice, roomId, "third");
        awaitCondition(() -> gateway.receivedFor("full-" + bob.deviceId()).size() >= 4, "the third push");
        assertThat(gateway.receivedFor("ids-" + bob.deviceId())).hasSize(before);
    }

    @Test
    void aFailingGatewayShouldBeRetriedWithBackoffThenGivenUp() throws Exception {
        Session alice = user("pnm");
        Session bob = user("pnn");
        String roomId = room(alice, bob);
        String pushkey = "down-" + bob.deviceId();
        ok(post(V3 + "/pushers/set", pusher(pushkey, "org.example.down", Map.of("url", gateway.url())),
                bob.accessToken()));
        PushGateway.Answer down = new PushGateway.Answer(503, "{}");
        gateway.answer(pushkey, down, down, down, down, down, down, down, down);
        say(alice, roomId, "nobody hears this");
        awaitCondition(() -> gateway.receivedFor(pushkey).size() >= 4, "four attempts");
        assertThat(pushers(bob)).hasSize(1);
    }

    @Test
    void pushersShouldGoWithTheirDeviceAndOnPasswordChange() throws Exception {
        String name = unique("pno");
        Session first = accounts.register(name, "pw-old");
        Session second = accounts.login(name, "pw-old", false);
        Session third = accounts.login(name, "pw-old", false);
        for (Session s : List.of(first, second, third)) {
            ok(post(V3 + "/pushers/set", pusher("dev-" + s.deviceId(), "org.example.devices",
                    Map.of("url", gateway.url())), s.accessToken()));
        }
        assertThat(pushers(first)).hasSize(3);
        ok(post(V3 + "/logout", Map.of(), second.accessToken()));
        assertThat(pushers(first)).extracting(p -> p.get("pushkey"))
                .containsExactlyInAnyOrder("dev-" + first.deviceId(), "dev-" + third.deviceId());

        String uri = V3 + "/account/password";
        Map<String, Object> challenge = expectUia(post(uri, Map.of("new_password", "pw-new"), first.accessToken()));
        ok(post(uri, Map.of("new_password", "pw-new", "auth", Map.of("type", "m.login.password",
                "password", "pw-old", "session", challenge.get("session"),
                "identifier", Map.of("type", "m.id.user", "user", first.userId()))), first.accessToken()));
        assertThat(pushers(first)).extracting(p -> p.get("pushkey")).containsExactly("dev-" + first.deviceId());

        Session fourth = accounts.login(name, "pw-new", false);
        ok(post(V3 + "/pushers/set", pusher("dev-" + fourth.deviceId(), "org.example.devices",
                Map.of("url", gateway.url())), fourth.accessToken()));
        String device = V3 + "/devices/" + fourth.deviceId();
        Map<String, Object> deletion = expectUia(request(HttpMethod.DELETE, device, Map.of(), first));
        ok(request(HttpMethod.DELETE, device, Map.of("auth", Map.of("type", "m.login.password",
                "password", "pw-new", "session", deletion.get("session"),
                "identifier", Map.of("type", "m.id.user", "user", first.userId()))), first));
        assertThat(pushers(first)).extracting(p -> p.get("pushkey")).containsExactly("dev-" + first.deviceId());
    }
}
