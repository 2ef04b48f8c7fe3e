// /sync as matrix-js-sdk's sync loop uses it: two clients run startClient(); a message one sends
// arrives live at the other (Room.timeline); a client that stops and later restarts from its old
// next_batch token gets exactly the messages it missed. Every response, /sync included, is
// validated against the OpenAPI schemas by the harness.

import assert from "node:assert/strict";
import { ClientEvent, Preset, RoomEvent } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

async function user(ctx, name) {
    const { response } = await ctx.registerUser(name);
    const { user_id: userId, device_id: deviceId, access_token: accessToken } = response;
    return { userId, deviceId, accessToken, client: ctx.client({ userId, deviceId, accessToken }) };
}

/** Starts the client's sync loop and resolves once its first sync is in (PREPARED). */
function started(client) {
    return new Promise((resolve, reject) => {
        client.on(ClientEvent.Sync, (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") resolve();
            if (state === "ERROR") reject(data?.error ?? new Error("sync error"));
        });
        client.startClient({ initialSyncLimit: 10 });
    });
}

/** Resolves with the body of the next live m.room.message in `roomId`. */
function nextMessage(client, roomId) {
    return new Promise((resolve) => {
        const listener = (event, room, toStartOfTimeline) => {
            if (toStartOfTimeline || room?.roomId !== roomId || event.getType() !== "m.room.message") return;
            client.off(RoomEvent.Timeline, listener);
            resolve(event.getContent().body);
        };
        client.on(RoomEvent.Timeline, listener);
    });
}

/** GET /sync through the harness's validating fetch. */
async function sync(ctx, accessToken, params) {
    const { status, body } = await ctx.request("GET", `/_matrix/client/v3/sync?${new URLSearchParams(params)}`,
        { accessToken });
    assert.equal(status, 200);
    return body;
}

hs.scenario("two clients with startClient see each other's messages live", async (ctx) => {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "live" });
    await bob.client.joinRoom(roomId);
    try {
        await Promise.all([started(alice.client), started(bob.client)]);
        const atBob = nextMessage(bob.client, roomId);
        await alice.client.sendTextMessage(roomId, "hello bob");
        assert.equal(await atBob, "hello bob");
        const atAlice = nextMessage(alice.client, roomId);
        await bob.client.sendTextMessage(roomId, "hello alice");
        assert.equal(await atAlice, "hello alice");
    } finally {
        alice.client.stopClient();
        bob.client.stopClient();
    }
});

hs.scenario("a client restarting from its old token gets exactly what it missed", async (ctx) => {
    const alice = await user(ctx, "alice2");
    const bob = await user(ctx, "bob2");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat });
    await bob.client.joinRoom(roomId);
    await started(bob.client);
    const seen = nextMessage(bob.client, roomId);
    await alice.client.sendTextMessage(roomId, "seen live");
    assert.equal(await seen, "seen live");
    bob.client.stopClient();
    const oldToken = bob.client.store.getSyncToken();
    assert.ok(oldToken, "the SDK kept its next_batch");
    for (const text of ["missed 1", "missed 2", "missed 3"]) await alice.client.sendTextMessage(roomId, text);

    const after = await sync(ctx, bob.accessToken, { since: oldToken });
    const bodies = after.rooms.join[roomId].timeline.events
        .filter((e) => e.type === "m.room.message").map((e) => e.content.body);
    assert.deepEqual(bodies, ["missed 1", "missed 2", "missed 3"]);
    const again = await sync(ctx, bob.accessToken, { since: after.next_batch });
    assert.equal(again.rooms.join[roomId], undefined, "nothing is delivered twice");
});

hs.scenario("a browser's sync loop (a CORS pre-flight before every long-poll, kept-alive connections) gets every live message", async (ctx) => {
    const alice = await user(ctx, "alice4");
    const bob = await user(ctx, "bob4");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat });
    await bob.client.joinRoom(roomId);
    const received = [];
    bob.client.on(RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
        if (!toStartOfTimeline && room?.roomId === roomId && event.getType() === "m.room.message") {
            received.push(event.getContent().body);
        }
    });
    try {
        await started(bob.client);
        const before = ctx.browser.preflights;
        const sent = [];
        for (let i = 0; i < 25; i++) {
            // Typing and messages land at varied moments of bob's poll: before it is parked, while
            // it is parked, and while its answer is written.
            await alice.client.sendTyping(roomId, true, 5000);
            await new Promise((r) => setTimeout(r, (i * 37) % 200));
            const body = `browser ${i}`;
            await alice.client.sendTextMessage(roomId, body);
            sent.push(body);
        }
        const deadline = Date.now() + 30_000;
        while (received.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(received, sent, "every message arrived once, in order");
        assert.ok(ctx.browser.preflights - before >= 25, `pre-flights happened (${ctx.browser.preflights - before})`);
    } finally {
        alice.client.stopClient();
        bob.client.stopClient();
    }
});
