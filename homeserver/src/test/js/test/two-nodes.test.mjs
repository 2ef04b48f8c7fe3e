// Two Myelin processes of one homeserver, as a deployment behind a load balancer runs them: node A
// (the suite's server) and node B (a second jar on the same database, with its own ports and data
// dir and a copy of A's signing key; see startServer's `join`). alice's client talks only to A,
// bob's only to B, so everything one sees of the other crossed the database and its
// LISTEN/NOTIFY wake-ups: messages both ways (with the delivery latency from the send call to the
// other client's timeline event logged as p50/max), typing, a to-device message, and a client
// whose next request lands on the other node: bob stops on B and resumes on A from B's token.
//
// Node B needs a PostgreSQL the test can point it at: with Myelin's embedded one (no
// MYELIN_TEST_DB_URL and nothing on 127.0.0.1:5432) the scenarios are skipped.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ClientEvent, Preset, RoomEvent, RoomMemberEvent } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";
import { SavedTokenStore, startSyncing, summarize, waitFor } from "../lib/live.mjs";

const hs = useHomeserver();

/** Messages each way for the latency figures. */
const ROUNDS = 10;
/** Generous: a wake-up crosses nodes through one NOTIFY; this allows for a loaded machine. */
const MAX_DELIVERY_MS = 3000;

let nodeB;
/** Node B, started once for the file; null (and the scenario skipped) without a shared database. */
async function secondNode(t) {
    if (!hs.settings?.dbUrl) {
        t.skip("node A runs on Myelin's embedded PostgreSQL, which a second node cannot share");
        return null;
    }
    nodeB ??= hs.startNode();
    return nodeB;
}

const accounts = {};

/** `name` registered once for the file through `baseUrl`; a fresh client bound to that node. */
async function user(ctx, name, baseUrl) {
    if (!accounts[name]) {
        const { response } = await ctx.registerUser(name, { baseUrl });
        accounts[name] = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    }
    const { userId, deviceId, accessToken } = accounts[name];
    return { userId, deviceId, accessToken, client: ctx.client({ baseUrl, userId, deviceId, accessToken }) };
}

/** alice on A creates a public room, bob on B joins it; both sync and see each other joined. */
async function pairAcrossNodes(ctx, t, name) {
    const b = await secondNode(t);
    if (!b) return null;
    const alice = await user(ctx, "alice", hs.baseUrl);
    const bob = await user(ctx, "bob", b.baseUrl);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name });
    await bob.client.joinRoom(roomId);
    await Promise.all([startSyncing(alice.client), startSyncing(bob.client)]);
    for (const [me, other] of [[alice, bob], [bob, alice]]) {
        const joined = () => me.client.getRoom(roomId)?.getMember(other.userId)?.membership === "join";
        await waitFor(me.client, RoomEvent.Timeline, joined, `${other.userId} joined at ${me.userId}`, { now: joined });
    }
    return { alice, bob, roomId };
}

/** Resolves with the time the next live m.room.message with `body` reaches `client`. */
function arrivalOf(client, roomId, body) {
    return waitFor(
        client,
        RoomEvent.Timeline,
        (event, room, toStart) =>
            !toStart && room?.roomId === roomId && event.getType() === "m.room.message" && event.getContent().body === body,
        `"${body}" at ${client.getUserId()}`,
    ).then(([event]) => ({ at: Date.now(), eventId: event.getId() }));
}

hs.scenario("messages sent on node A arrive live at bob on node B and back, within the delivery bound", async (ctx, t) => {
    const pair = await pairAcrossNodes(ctx, t, "two nodes");
    if (!pair) return;
    const { alice, bob, roomId } = pair;
    const latencies = { "A→B": [], "B→A": [] };
    const sendCalls = { "A→B": [], "B→A": [] };
    for (let i = 0; i < ROUNDS; i++) {
        for (const [dir, from, to] of [["A→B", alice, bob], ["B→A", bob, alice]]) {
            const body = `${dir} ${i} ${randomBytes(3).toString("hex")}`;
            const arrived = arrivalOf(to.client, roomId, body);
            const sentAt = Date.now();
            const { event_id: eventId } = await from.client.sendTextMessage(roomId, body);
            sendCalls[dir].push(Date.now() - sentAt);
            const { at, eventId: receivedId } = await arrived;
            assert.equal(receivedId, eventId, `${dir}: the other node delivers the event ID the send returned`);
            latencies[dir].push(at - sentAt);
        }
    }
    for (const [dir, values] of Object.entries(latencies)) {
        const { n, p50, max } = summarize(values);
        const send = summarize(sendCalls[dir]);
        t.diagnostic(`${dir}: ${n} messages, send call to the other client's timeline event p50 ${p50} ms, max ${max} ms ` +
            `(the send call alone p50 ${send.p50} ms, max ${send.max} ms)`);
        assert.ok(max < MAX_DELIVERY_MS, `${dir} delivery took up to ${max} ms (bound ${MAX_DELIVERY_MS} ms): ${values}`);
    }
    // Both nodes serve the same history.
    const [fromA, fromB] = await Promise.all([
        alice.client.createMessagesRequest(roomId, null, 2 * ROUNDS, "b"),
        bob.client.createMessagesRequest(roomId, null, 2 * ROUNDS, "b"),
    ]);
    assert.deepEqual(fromB.chunk.map((e) => e.event_id), fromA.chunk.map((e) => e.event_id), "/messages agrees on both nodes");
});

hs.scenario("typing on node A shows at bob on node B, and its stop does too", async (ctx, t) => {
    const pair = await pairAcrossNodes(ctx, t, "two nodes typing");
    if (!pair) return;
    const { alice, bob, roomId } = pair;
    const typingAtBob = (typing) =>
        waitFor(
            bob.client,
            RoomMemberEvent.Typing,
            (_e, member) => member.roomId === roomId && member.userId === alice.userId && member.typing === typing,
            `alice ${typing ? "typing" : "not typing"} at bob on node B`,
        );
    let seen = typingAtBob(true);
    const sentAt = Date.now();
    await alice.client.sendTyping(roomId, true, 20_000);
    const [event] = await seen;
    t.diagnostic(`typing crossed nodes in ${Date.now() - sentAt} ms`);
    assert.deepEqual(event.getContent().user_ids, [alice.userId]);
    seen = typingAtBob(false);
    await alice.client.sendTyping(roomId, false);
    await seen;
});

hs.scenario("a to-device message sent through node A arrives once at bob's device syncing on node B", async (ctx, t) => {
    const b = await secondNode(t);
    if (!b) return;
    const alice = await user(ctx, "alice", hs.baseUrl);
    const bob = await user(ctx, "bob", b.baseUrl);
    const type = "org.myelin.interop.cross_node";
    const nonce = randomBytes(6).toString("hex");
    const received = [];
    bob.client.on(ClientEvent.ToDeviceEvent, (event) => {
        if (event.getType() === type && event.getContent().nonce === nonce) received.push(event.getSender());
    });
    await startSyncing(bob.client);
    const arrived = waitFor(bob.client, ClientEvent.ToDeviceEvent, (event) => event.getContent().nonce === nonce,
        "the to-device message at bob on node B");
    const sentAt = Date.now();
    await alice.client.sendToDevice(type, new Map([[bob.userId, new Map([[bob.deviceId, { nonce }]])]]));
    await arrived;
    t.diagnostic(`to-device crossed nodes in ${Date.now() - sentAt} ms`);
    // Two more round trips of bob's sync loop (his account data echoes back through node B).
    for (let i = 0; i < 2; i++) await bob.client.setAccountData("org.myelin.interop.cycle", { i, nonce });
    assert.deepEqual(received, [alice.userId], "the message arrives exactly once, from alice");
});

hs.scenario("bob's client stops on node B and resumes on node A from B's sync token: exactly what he missed, once", async (ctx, t) => {
    const pair = await pairAcrossNodes(ctx, t, "two nodes restart");
    if (!pair) return;
    const { alice, bob, roomId } = pair;
    const before = arrivalOf(bob.client, roomId, "before the switch");
    await alice.client.sendTextMessage(roomId, "before the switch");
    await before;
    bob.client.stopClient();
    const token = bob.client.store.getSyncToken();
    assert.ok(token, "bob's client kept the next_batch node B gave it");
    const missed = ["missed on the way 1", "missed on the way 2"];
    for (const body of missed) await alice.client.sendTextMessage(roomId, body);

    // The same device, its next request routed to node A, as a load balancer may do.
    const onA = ctx.client({ baseUrl: hs.baseUrl, userId: bob.userId, deviceId: bob.deviceId, accessToken: bob.accessToken,
        store: new SavedTokenStore(token) });
    const bodies = [];
    onA.on(RoomEvent.Timeline, (event, room, toStart) => {
        if (!toStart && room?.roomId === roomId && event.getType() === "m.room.message") bodies.push(event.getContent().body);
    });
    const caughtUp = arrivalOf(onA, roomId, missed.at(-1));
    await startSyncing(onA);
    await caughtUp;
    const live = arrivalOf(onA, roomId, "after the switch");
    await alice.client.sendTextMessage(roomId, "after the switch");
    await live;
    assert.deepEqual(bodies, [...missed, "after the switch"], "node A continues node B's token: the missed messages once, then live");
});
