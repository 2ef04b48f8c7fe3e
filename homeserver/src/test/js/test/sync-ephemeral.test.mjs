// The ephemeral side of /sync as matrix-js-sdk's sync loop consumes it, with two running clients
// (startClient) in a shared room: typing appears at the other client and expires on its own;
// read receipts move while private ones stay with their owner; a to-device message arrives
// exactly once, also across a restart from the saved sync token; account data, room account
// data and tags round-trip into the client's model; presence reaches a user sharing a room.
// Live messages and restarting with an old token for room events are sync.test.mjs's.
//
// alice and bob are registered once for the file (registration is rate-limited); each scenario
// makes its own clients and room.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import {
    ClientEvent,
    EventType,
    Preset,
    ReceiptType,
    RoomEvent,
    RoomMemberEvent,
    UserEvent,
} from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";
import { LIVE_TIMEOUT_MS, SavedTokenStore, startSyncing, waitFor } from "../lib/live.mjs";

const hs = useHomeserver();

const accounts = {};

/** Registers `name` once for the file; a fresh client for it in this scenario's context. */
async function user(ctx, name, clientOpts = {}) {
    if (!accounts[name]) {
        const { response } = await ctx.registerUser(name);
        accounts[name] = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    }
    const { userId, deviceId, accessToken } = accounts[name];
    return { userId, deviceId, accessToken, client: ctx.client({ userId, deviceId, accessToken, ...clientOpts }) };
}

/** The client's Room once its sync has it with `userId` joined. */
async function joinedRoom(client, roomId, userId) {
    const has = () => client.getRoom(roomId)?.getMember(userId)?.membership === "join";
    await waitFor(client, RoomEvent.Timeline, () => has(), `${userId} joined in ${roomId} at ${client.getUserId()}`, { now: has });
    return client.getRoom(roomId);
}

/** alice creates a public room, bob joins; both clients sync and see each other in it. */
async function syncingPair(ctx) {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "ephemeral" });
    await bob.client.joinRoom(roomId);
    await Promise.all([startSyncing(alice.client), startSyncing(bob.client)]);
    await joinedRoom(alice.client, roomId, bob.userId);
    await joinedRoom(bob.client, roomId, alice.userId);
    return { alice, bob, roomId };
}

/** Resolves with the next live event of `type` in `roomId` at `client` for which `pred` holds. */
function nextTimelineEvent(client, roomId, pred) {
    return waitFor(
        client,
        RoomEvent.Timeline,
        (event, room, toStart) => !toStart && room?.roomId === roomId && pred(event),
        `a timeline event in ${roomId} at ${client.getUserId()}`,
    ).then(([event]) => event);
}

/** alice sends `body`; resolves once bob's client has it, with bob's MatrixEvent for it. */
async function messageSeenByBoth(alice, bob, roomId, body) {
    const atBob = nextTimelineEvent(bob.client, roomId, (e) => e.getType() === "m.room.message" && e.getContent().body === body);
    const { event_id: eventId } = await alice.client.sendTextMessage(roomId, body);
    const event = await atBob;
    assert.equal(event.getId(), eventId, "bob gets the event ID alice's send returned");
    return event;
}

hs.scenario("typing: alice's typing shows at bob, ends on stop, and expires after its timeout without a new PUT", async (ctx, t) => {
    const { alice, bob, roomId } = await syncingPair(ctx);
    const room = bob.client.getRoom(roomId);
    const typingAtBob = (typing) =>
        waitFor(
            bob.client,
            RoomMemberEvent.Typing,
            (_event, member) => member.roomId === roomId && member.userId === alice.userId && member.typing === typing,
            `alice ${typing ? "typing" : "not typing"} at bob`,
        );
    const typingMembers = () => room.currentState.getMembers().filter((m) => m.typing).map((m) => m.userId);

    // Started and stopped explicitly.
    let seen = typingAtBob(true);
    await alice.client.sendTyping(roomId, true, 30_000);
    const [typingEvent] = await seen;
    assert.equal(typingEvent.getType(), EventType.Typing);
    assert.deepEqual(typingEvent.getContent().user_ids, [alice.userId], "the m.typing event names alice");
    assert.deepEqual(typingMembers(), [alice.userId]);
    seen = typingAtBob(false);
    await alice.client.sendTyping(roomId, false);
    await seen;
    assert.deepEqual(typingMembers(), []);

    // Started with a 2 s timeout and left to expire.
    const timeoutMs = 2000;
    seen = typingAtBob(true);
    const sentAt = Date.now();
    await alice.client.sendTyping(roomId, true, timeoutMs);
    await seen;
    const expired = typingAtBob(false);
    const [stopEvent] = await expired.catch((e) => {
        throw new Error(`${e.message}: alice's typing with timeout ${timeoutMs} ms never expired at bob`);
    });
    const elapsed = Date.now() - sentAt;
    t.diagnostic(`typing with timeout ${timeoutMs} ms ended at bob after ${elapsed} ms`);
    assert.deepEqual(stopEvent.getContent().user_ids, [], "the expiry is an m.typing with no user_ids");
    assert.ok(elapsed >= timeoutMs * 0.75, `typing ended after ${elapsed} ms, before the ${timeoutMs} ms timeout`);
    assert.ok(elapsed <= timeoutMs + 5000, `typing ended only after ${elapsed} ms for a ${timeoutMs} ms timeout`);
    assert.deepEqual(typingMembers(), []);
});

hs.scenario("receipts: bob's m.read moves at alice; his m.read.private and read marker reach only bob", async (ctx) => {
    const { alice, bob, roomId } = await syncingPair(ctx);
    const m1 = await messageSeenByBoth(alice, bob, roomId, "receipt one");
    const m2 = await messageSeenByBoth(alice, bob, roomId, "receipt two");
    const aliceRoom = alice.client.getRoom(roomId);
    const receiptEventsAtAlice = [];
    alice.client.on(RoomEvent.Receipt, (event, room) => {
        if (room.roomId === roomId) receiptEventsAtAlice.push(event.getContent());
    });
    const bobsReceiptAtAlice = (eventId, type = ReceiptType.Read) =>
        waitFor(
            alice.client,
            RoomEvent.Receipt,
            () => aliceRoom.getReadReceiptForUserId(bob.userId, true, type)?.eventId === eventId,
            `bob's ${type} receipt on ${eventId} at alice`,
        );

    let moved = bobsReceiptAtAlice(m1.getId());
    await bob.client.sendReadReceipt(m1);
    await moved;
    moved = bobsReceiptAtAlice(m2.getId());
    await bob.client.sendReadReceipt(m2);
    await moved;
    const receipt = aliceRoom.getReadReceiptForUserId(bob.userId, true);
    assert.equal(typeof receipt.data.ts, "number", `the receipt has a ts: ${JSON.stringify(receipt)}`);

    // A private receipt on a newer event: bob's own client gets it back from the server, alice's does not.
    const m3 = await messageSeenByBoth(alice, bob, roomId, "receipt three");
    const bobRoom = bob.client.getRoom(roomId);
    const privateAtBob = waitFor(
        bob.client,
        RoomEvent.Receipt,
        () => bobRoom.getReadReceiptForUserId(bob.userId, true, ReceiptType.ReadPrivate)?.eventId === m3.getId(),
        "bob's own m.read.private from the server",
    );
    await bob.client.sendReadReceipt(m3, ReceiptType.ReadPrivate);
    await privateAtBob;
    // The fully-read marker is bob's room account data: only bob's client gets it.
    const markerAtBob = waitFor(
        bob.client,
        RoomEvent.AccountData,
        (event, room) => room.roomId === roomId && event.getType() === "m.fully_read" && event.getContent().event_id === m3.getId(),
        "bob's m.fully_read at bob",
    );
    await bob.client.setRoomReadMarkers(roomId, m3.getId());
    await markerAtBob;
    // Barrier: bob's typing is written after the private receipt and the marker, so once alice
    // sees it her sync has passed them.
    const typingAtAlice = waitFor(
        alice.client,
        RoomMemberEvent.Typing,
        (_e, member) => member.roomId === roomId && member.userId === bob.userId && member.typing,
        "bob typing at alice (barrier)",
    );
    await bob.client.sendTyping(roomId, true, 10_000);
    await typingAtAlice;
    assert.equal(aliceRoom.getReadReceiptForUserId(bob.userId, true, ReceiptType.ReadPrivate), null,
        "alice has no private receipt of bob's");
    assert.equal(aliceRoom.getReadReceiptForUserId(bob.userId, true)?.eventId, m2.getId(), "bob's public receipt stays on m2");
    const leaked = receiptEventsAtAlice.filter((c) => JSON.stringify(c).includes(ReceiptType.ReadPrivate));
    assert.deepEqual(leaked, [], "no m.receipt at alice carries m.read.private");
    assert.equal(aliceRoom.getAccountData("m.fully_read"), undefined, "bob's read marker is not alice's account data");
    await bob.client.sendTyping(roomId, false);
});

hs.scenario("to-device: a message arrives exactly once at bob's device, and not again after a restart from the saved token", async (ctx) => {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const type = "org.myelin.interop.ping";
    const nonce = randomBytes(6).toString("hex");
    const received = [];
    const record = (event) => {
        if (event.getType() === type && event.getContent().nonce === nonce) {
            received.push({ n: event.getContent().n, sender: event.getSender() });
        }
    };
    const arrival = (client, n) =>
        waitFor(client, ClientEvent.ToDeviceEvent, (event) => event.getType() === type && event.getContent().n === n,
            `to-device message ${n} at bob`);
    /** Two more completed sync round trips at `client`: bob's own account data echoes back. */
    const twoMoreSyncs = async (client) => {
        for (let i = 0; i < 2; i++) await client.setAccountData("org.myelin.interop.cycle", { i, nonce });
    };
    const toBob = (n) => new Map([[bob.userId, new Map([[bob.deviceId, { n, nonce }]])]]);

    bob.client.on(ClientEvent.ToDeviceEvent, record);
    await startSyncing(bob.client);
    let arrived = arrival(bob.client, 1);
    await alice.client.sendToDevice(type, toBob(1));
    await arrived;
    await twoMoreSyncs(bob.client);
    assert.deepEqual(received, [{ n: 1, sender: alice.userId }], "message 1 arrives once, from alice");

    bob.client.stopClient();
    const savedToken = bob.client.store.getSyncToken();
    assert.ok(savedToken, "bob's client kept its next_batch");
    await alice.client.sendToDevice(type, toBob(2));

    // The same device restarts from the saved token, as a client with a persistent store does.
    const restarted = { client: ctx.client({ userId: bob.userId, deviceId: bob.deviceId, accessToken: bob.accessToken,
        store: new SavedTokenStore(savedToken) }) };
    restarted.client.on(ClientEvent.ToDeviceEvent, record);
    arrived = arrival(restarted.client, 2);
    await startSyncing(restarted.client);
    await arrived;
    await twoMoreSyncs(restarted.client);
    assert.deepEqual(
        received,
        [{ n: 1, sender: alice.userId }, { n: 2, sender: alice.userId }],
        "after the restart only the message sent while bob was away arrives, once",
    );
});

hs.scenario("account data and tags: m.direct, custom global and room account data, tags set and deleted reach alice's client", async (ctx) => {
    const { alice, bob, roomId } = await syncingPair(ctx);
    const room = alice.client.getRoom(roomId);

    // setAccountData resolves once the sync loop has echoed the new content back.
    await alice.client.setAccountData(EventType.Direct, { [bob.userId]: [roomId] });
    assert.deepEqual(alice.client.getAccountData(EventType.Direct)?.getContent(), { [bob.userId]: [roomId] });
    assert.deepEqual(await alice.client.getAccountDataFromServer(EventType.Direct), { [bob.userId]: [roomId] });
    await alice.client.setAccountData("org.myelin.interop.settings", { theme: "dark" });
    await alice.client.setAccountData("org.myelin.interop.settings", { theme: "light", size: 2 });
    assert.deepEqual(alice.client.getAccountData("org.myelin.interop.settings")?.getContent(), { theme: "light", size: 2 },
        "the second write replaces the first");

    const roomData = waitFor(alice.client, RoomEvent.AccountData,
        (event, r) => r.roomId === roomId && event.getType() === "org.myelin.interop.room" && event.getContent().colour === "teal",
        "room account data at alice");
    await alice.client.setRoomAccountData(roomId, "org.myelin.interop.room", { colour: "teal" });
    await roomData;
    assert.deepEqual(room.getAccountData("org.myelin.interop.room")?.getContent(), { colour: "teal" });

    const tagsBecome = (expected) =>
        waitFor(alice.client, RoomEvent.Tags, (_event, r) => r.roomId === roomId && JSON.stringify(sortKeys(r.tags)) === JSON.stringify(sortKeys(expected)),
            `room.tags ${JSON.stringify(expected)} at alice`);
    let tags = tagsBecome({ "m.favourite": { order: 0.25 } });
    await alice.client.setRoomTag(roomId, "m.favourite", { order: 0.25 });
    await tags;
    tags = tagsBecome({ "m.favourite": { order: 0.25 }, "u.work": {} });
    await alice.client.setRoomTag(roomId, "u.work", {});
    await tags;
    tags = tagsBecome({ "u.work": {} });
    await alice.client.deleteRoomTag(roomId, "m.favourite");
    await tags;
    assert.deepEqual(room.tags, { "u.work": {} });
    assert.deepEqual((await alice.client.getRoomTags(roomId)).tags, { "u.work": {} }, "GET /tags agrees with the client");

    // None of it is bob's: one more round trip of his own, then check his client.
    await bob.client.setAccountData("org.myelin.interop.settings", { theme: "bob's" });
    assert.equal(bob.client.getAccountData(EventType.Direct), undefined, "alice's m.direct is not bob's");
    assert.deepEqual(bob.client.getAccountData("org.myelin.interop.settings")?.getContent(), { theme: "bob's" });
    const bobRoom = bob.client.getRoom(roomId);
    assert.deepEqual(bobRoom.tags, {}, "alice's tags are not bob's");
    assert.equal(bobRoom.getAccountData("org.myelin.interop.room"), undefined, "alice's room account data is not bob's");
});

hs.scenario("presence: alice's status (unavailable with a message, then online) reaches bob, who shares a room", async (ctx) => {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "presence" });
    await bob.client.joinRoom(roomId);
    // Only bob syncs: alice's own polling could legitimately mark her online.
    await startSyncing(bob.client);
    const presenceAtBob = (presence, statusMsg) =>
        waitFor(
            bob.client,
            UserEvent.LastPresenceTs,
            (event, u) => u.userId === alice.userId && event.getContent().presence === presence &&
                (statusMsg === undefined || event.getContent().status_msg === statusMsg),
            `alice ${presence} at bob`,
            { timeoutMs: LIVE_TIMEOUT_MS },
        );
    let seen = presenceAtBob("unavailable", "in a test");
    await alice.client.setPresence({ presence: "unavailable", status_msg: "in a test" });
    await seen;
    const aliceAtBob = bob.client.getUser(alice.userId);
    assert.equal(aliceAtBob.presence, "unavailable");
    assert.equal(aliceAtBob.presenceStatusMsg, "in a test");
    seen = presenceAtBob("online");
    await alice.client.setPresence({ presence: "online" });
    await seen;
    assert.equal(bob.client.getUser(alice.userId).presence, "online");
    const status = await bob.client.getPresence(alice.userId);
    assert.equal(status.presence, "online", `GET /presence agrees: ${JSON.stringify(status)}`);
});

function sortKeys(obj) {
    return Object.fromEntries(Object.entries(obj ?? {}).sort(([a], [b]) => a.localeCompare(b)));
}
