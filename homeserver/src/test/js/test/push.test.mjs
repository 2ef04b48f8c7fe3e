// Push through matrix-js-sdk: bob's push rules (a content rule of his own, a default rule turned off and on)
// decide what notifies him; his running client's unread counts in /sync follow alice's messages and drop with
// his read receipt; GET /notifications lists what notified him; and a pusher set with the client's setPusher
// makes Myelin call a push gateway on loopback with the notifications (the full format and event_id_only).

import assert from "node:assert/strict";
import http from "node:http";
import { NotificationCountType, Preset, PushRuleKind } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";
import { eventually, startSyncing } from "../lib/live.mjs";

const hs = useHomeserver();

/** A push gateway on 127.0.0.1 that records every notification it is sent and accepts it. */
async function startGateway() {
    const received = [];
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            if (req.url === "/_matrix/push/v1/notify") received.push(JSON.parse(body).notification);
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ rejected: [] }));
        });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${server.address().port}/_matrix/push/v1/notify`,
        received,
        close: () => new Promise((resolve) => server.close(resolve)),
    };
}

hs.scenario("push rules decide bob's unread counts, his receipt clears them, and /notifications lists them", async (ctx) => {
    const alice = await ctx.registerUser("alice");
    const bob = await ctx.registerUser("bob");
    await bob.client.addPushRule("global", PushRuleKind.ContentSpecific, "cake", {
        pattern: "cake",
        actions: ["notify", { set_tweak: "highlight" }],
    });
    const rules = await bob.client.getPushRules();
    assert.ok(rules.global.content.some((r) => r.rule_id === "cake" && r.pattern === "cake"));

    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "push" });
    await bob.client.joinRoom(roomId);
    await startSyncing(bob.client);
    try {
        await alice.client.sendTextMessage(roomId, "hello bob");
        await alice.client.sendTextMessage(roomId, "there is cake in the kitchen");
        await alice.client.sendNotice(roomId, "notices do not notify");
        const room = () => bob.client.getRoom(roomId);
        const counts = () => [room()?.getUnreadNotificationCount(NotificationCountType.Total),
            room()?.getUnreadNotificationCount(NotificationCountType.Highlight)];
        await eventually(() => counts()[0] === 2 && counts()[1] === 1, "bob's counts 2 and 1 highlight");

        // A two-member room: .m.rule.room_one_to_one comes before .m.rule.message; both go off.
        for (const rule of [".m.rule.room_one_to_one", ".m.rule.message"]) {
            await bob.client.setPushRuleEnabled("global", PushRuleKind.Underride, rule, false);
        }
        await alice.client.sendTextMessage(roomId, "not a notification any more");
        await alice.client.sendTextMessage(roomId, "but cake still is");
        await eventually(() => counts()[0] === 3 && counts()[1] === 2, "the cake message only");
        for (const rule of [".m.rule.room_one_to_one", ".m.rule.message"]) {
            await bob.client.setPushRuleEnabled("global", PushRuleKind.Underride, rule, true);
        }

        const { status, body } = await ctx.request("GET", "/_matrix/client/v3/notifications?limit=10",
            { accessToken: bob.response.access_token });
        assert.equal(status, 200);
        assert.deepEqual(body.notifications.map((n) => n.event.content.body),
            ["but cake still is", "there is cake in the kitchen", "hello bob"]);
        assert.ok(body.notifications.every((n) => n.room_id === roomId && n.read === false));

        const last = room().getLiveTimeline().getEvents().at(-1);
        await bob.client.sendReadReceipt(last);
        await eventually(() => counts()[0] === 0 && counts()[1] === 0, "counts cleared by the receipt");
        const after = await ctx.request("GET", "/_matrix/client/v3/notifications?only=highlight",
            { accessToken: bob.response.access_token });
        assert.equal(after.body.notifications.length, 2);
        assert.ok(after.body.notifications.every((n) => n.read === true));
    } finally {
        bob.client.stopClient();
    }
});

hs.scenario("a pusher set through setPusher gets bob's notifications at a push gateway", async (ctx) => {
    const gateway = await startGateway();
    try {
        const alice = await ctx.registerUser("alice");
        const bob = await ctx.registerUser("bob");
        const pusher = {
            kind: "http",
            app_id: "org.example.push.test",
            pushkey: `key-${bob.response.device_id}`,
            app_display_name: "Push test",
            device_display_name: "bob's laptop",
            lang: "en",
            data: { url: gateway.url, format: "event_id_only" },
            append: false,
        };
        await bob.client.setPusher(pusher);
        const full = { ...pusher, pushkey: `full-${bob.response.device_id}`, data: { url: gateway.url } };
        await bob.client.setPusher(full);
        const { pushers } = await bob.client.getPushers();
        assert.deepEqual(pushers.map((p) => p.pushkey).sort(), [full.pushkey, pusher.pushkey].sort());

        const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat });
        await bob.client.joinRoom(roomId);
        const { event_id: eventId } = await alice.client.sendTextMessage(roomId, "ping for bob's phone");
        const forKey = (key) => gateway.received.filter((n) => n.devices[0].pushkey === key);
        await eventually(() => forKey(pusher.pushkey).length === 1 && forKey(full.pushkey).length === 1,
            "one push per pusher");
        const [ids] = forKey(pusher.pushkey);
        assert.equal(ids.event_id, eventId);
        assert.equal(ids.room_id, roomId);
        assert.equal(ids.content, undefined);
        assert.deepEqual(ids.devices[0].data, { format: "event_id_only" });
        assert.equal(ids.counts.unread, 1);
        const [event] = forKey(full.pushkey);
        assert.equal(event.event_id, eventId);
        assert.equal(event.sender, alice.userId);
        assert.equal(event.type, "m.room.message");
        assert.equal(event.content.body, "ping for bob's phone");
        assert.equal(event.devices[0].app_id, "org.example.push.test");

        await bob.client.setPusher({ ...pusher, kind: null });
        assert.deepEqual((await bob.client.getPushers()).pushers.map((p) => p.pushkey), [full.pushkey]);
    } finally {
        await gateway.close();
    }
});
