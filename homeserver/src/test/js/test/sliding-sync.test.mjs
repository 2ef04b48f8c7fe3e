// Simplified sliding sync (MSC4186) driven by matrix-js-sdk's SlidingSync class the way Element Web's sliding-sync
// mode uses it (startClient({ slidingSync }), SlidingSyncSdk turning responses into rooms): a room-list window
// sorted by recency, a subscription to the room the user opens, and the to-device extension. A message shows up
// live in the open room and lifts its room to the top of the list. Two federating servers, so the last scenario
// also follows a room that lives on the other server. The harness checks every response against the schema
// written from the MSC (lib/unstable-endpoints.mjs).

import assert from "node:assert/strict";
import { ClientEvent, Preset, RoomEvent } from "matrix-js-sdk";
import {
    MSC3575_STATE_KEY_LAZY,
    MSC3575_STATE_KEY_ME,
    MSC3575_WILDCARD,
    SlidingSync,
    SlidingSyncEvent,
    SlidingSyncState,
} from "matrix-js-sdk/lib/sliding-sync.js";
import { useFederatedHomeservers } from "../lib/harness.mjs";
import { eventually, waitFor } from "../lib/live.mjs";

const hs = useFederatedHomeservers(2);
const [A, B] = [0, 1];
const CROSS_MS = 20_000;
const LIST = "room_list";
const WINDOW = 3;

/** Element Web's list config: the first rooms by recency, one timeline event, what a room tile shows. */
function roomList(end) {
    return {
        ranges: [[0, end]],
        timeline_limit: 1,
        required_state: [
            ["m.room.avatar", ""],
            ["m.room.encryption", ""],
            ["m.room.create", ""],
            ["m.room.member", MSC3575_STATE_KEY_ME],
        ],
    };
}

/** Element Web's subscription to the room the user opens (an unencrypted room: members lazily loaded). */
const OPEN_ROOM = {
    timeline_limit: 50,
    required_state: [
        [MSC3575_WILDCARD, MSC3575_WILDCARD],
        ["m.room.member", MSC3575_STATE_KEY_ME],
        ["m.room.member", MSC3575_STATE_KEY_LAZY],
    ],
};

/** The client's rooms by recency, as Element Web's new room list sorts them (by bump stamp). */
function byRecency(client) {
    return client.getRooms().filter((r) => r.getMyMembership() === "join")
        .sort((a, b) => (b.getBumpStamp() ?? 0) - (a.getBumpStamp() ?? 0)).map((r) => r.roomId);
}

/** Resolves after the next response has been processed. */
function nextResponse(slidingSync) {
    return new Promise((resolve) => {
        const listener = (state, resp, err) => {
            if (state !== SlidingSyncState.Complete) return;
            slidingSync.off(SlidingSyncEvent.Lifecycle, listener);
            resolve(resp);
        };
        slidingSync.on(SlidingSyncEvent.Lifecycle, listener);
    });
}

/** Starts `client` on sliding sync (as Element Web's SlidingSyncManager does); resolves with the first response. */
async function startSliding(client, list) {
    const slidingSync = new SlidingSync(client.baseUrl, new Map([[LIST, list]]), OPEN_ROOM, client, 10_000);
    const first = nextResponse(slidingSync);
    await client.startClient({ slidingSync });
    return { slidingSync, first: await first };
}

function liveMessage(client, roomId, body, timeoutMs) {
    return waitFor(client, RoomEvent.Timeline, (event, room, toStart) => !toStart && room?.roomId === roomId
        && event.getType() === "m.room.message" && event.getContent().body === body, `"${body}" in ${roomId}`,
    { timeoutMs });
}

hs.scenario("a room-list window in recency order, the open room's history, a live message and to-device", async (ctx) => {
    const { baseUrl } = hs.servers[A];
    const alice = await ctx.registerUser("alice", { baseUrl });
    const bob = await ctx.registerUser("bob", { baseUrl });
    const created = [];
    for (let i = 0; i < 5; i++) {
        const { room_id: roomId } = await bob.client.createRoom({ preset: Preset.PublicChat, name: `room ${i}` });
        await alice.client.joinRoom(roomId);
        await bob.client.sendTextMessage(roomId, `last in room ${i}`);
        created.push(roomId);
    }
    const open = created[1];
    for (let i = 0; i < 5; i++) await bob.client.sendTextMessage(open, `history ${i}`);
    await bob.client.sendTextMessage(created[4], "room 4 is the most recent");
    // Newest first: room 4, then room 1 (its history), then 3, 2, 0.
    const expected = [created[4], created[1], created[3], created[2], created[0]];

    const { slidingSync, first } = await startSliding(alice.client, roomList(WINDOW - 1));
    assert.equal(first.lists[LIST].count, 5, "the list counts every room");
    assert.equal(slidingSync.getListData(LIST).joinedCount, 5);
    assert.deepEqual(Object.keys(first.rooms).sort(), expected.slice(0, WINDOW).sort(), "only the window is sent");
    assert.deepEqual(byRecency(alice.client), expected.slice(0, WINDOW), "the client orders them by recency");
    assert.equal(alice.client.getRoom(created[4]).name, "room 4");

    // The user opens room 1: the subscription brings its history.
    const subscribed = nextResponse(slidingSync);
    slidingSync.modifyRoomSubscriptions(new Set([open]));
    await eventually(() => alice.client.getRoom(open).getLiveTimeline().getEvents()
        .filter((e) => e.getType() === "m.room.message").length >= 6, "the open room's history", CROSS_MS);
    await subscribed;
    const bodies = alice.client.getRoom(open).getLiveTimeline().getEvents()
        .filter((e) => e.getType() === "m.room.message").map((e) => e.getContent().body);
    assert.deepEqual(bodies.slice(-5), ["history 0", "history 1", "history 2", "history 3", "history 4"]);
    assert.equal(alice.client.getRoom(open).getMember(bob.userId)?.membership, "join", "lazy members: the sender");

    // A new message in the open room arrives live and lifts it to the top of the list.
    const arrives = liveMessage(alice.client, open, "new in the open room", CROSS_MS);
    await bob.client.sendTextMessage(open, "new in the open room");
    await arrives;
    await eventually(() => byRecency(alice.client)[0] === open, "the open room at the top", CROSS_MS);

    // A message in a room below the window brings it in, at the top.
    const lifted = liveMessage(alice.client, created[0], "room 0 again", CROSS_MS);
    await bob.client.sendTextMessage(created[0], "room 0 again");
    await lifted;
    await eventually(() => byRecency(alice.client)[0] === created[0], "room 0 at the top", CROSS_MS);
    assert.deepEqual(byRecency(alice.client).slice(0, 2), [created[0], open]);

    // To-device messages arrive through the to_device extension.
    const toDevice = waitFor(alice.client, ClientEvent.ToDeviceEvent, (event) => event.getType() === "org.example.ping",
        "a to-device message", { timeoutMs: CROSS_MS });
    await bob.client.sendToDevice("org.example.ping", new Map([[alice.userId, new Map([[alice.client.getDeviceId(),
        { n: 1 }]])]]));
    const [event] = await toDevice;
    assert.equal(event.getSender(), bob.userId);
    assert.deepEqual(event.getContent(), { n: 1 });
});

hs.scenario("an unknown pos answers M_UNKNOWN_POS; the last pos continues with nothing new", async (ctx) => {
    const { baseUrl } = hs.servers[A];
    const alice = await ctx.registerUser("alice", { baseUrl });
    await alice.client.createRoom({ name: "only room" });
    const path = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
    const body = { lists: { [LIST]: roomList(9) } };
    const token = alice.client.getAccessToken();
    const first = await ctx.request("POST", path, { accessToken: token, body, baseUrl });
    assert.equal(first.status, 200);
    const unknown = await ctx.request("POST", `${path}?pos=${encodeURIComponent("424242/sevents-1")}`,
        { accessToken: token, body, baseUrl });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errcode, "M_UNKNOWN_POS");
    const again = await ctx.request("POST", `${path}?pos=${encodeURIComponent(first.body.pos)}&timeout=0`,
        { accessToken: token, body, baseUrl });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.rooms, {}, "nothing new since the first response");
});

hs.scenario("a room on the other server is listed, opened and followed like a local one", async (ctx) => {
    const alice = await ctx.registerUser("alice", { baseUrl: hs.servers[A].baseUrl });
    const bob = await ctx.registerUser("bob", { baseUrl: hs.servers[B].baseUrl });
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "on server A" });
    await bob.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });
    await bob.client.createRoom({ name: "local to B" });

    const { slidingSync, first } = await startSliding(bob.client, roomList(9));
    assert.equal(first.lists[LIST].count, 2);
    await eventually(() => bob.client.getRoom(roomId)?.name === "on server A", "the remote room's name", CROSS_MS);
    slidingSync.modifyRoomSubscriptions(new Set([roomId]));
    await eventually(() => bob.client.getRoom(roomId).currentState.getStateEvents("m.room.join_rules", "")
        ?.getContent().join_rule === "public", "the remote room's whole state", CROSS_MS);

    const arrives = liveMessage(bob.client, roomId, "from server A", CROSS_MS);
    await alice.client.sendTextMessage(roomId, "from server A");
    const [event] = await arrives;
    assert.equal(event.getSender(), alice.userId);
    await eventually(() => byRecency(bob.client)[0] === roomId, "the remote room at the top", CROSS_MS);
});
