// Two Myelin homeservers that federate (lib/federated-servers.mjs: own databases, signing keys,
// server names `localhost:<port>` and certificates, TLS verified both ways), not two nodes of one
// server. alice's client talks only to server A, bob's only to server B, so everything one sees of
// the other crossed federation: joins by room ID through `via`, by invite (through the inviter's
// server) and by a remote alias; messages both ways; typing and read receipts (EDUs); and in an
// encrypted room, device lists, /user/keys/query, /user/keys/claim and to-device (the room keys)
// so that each decrypts the other. Every response the clients get is checked against the OpenAPI
// schemas by the harness.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Preset, RoomEvent, RoomMemberEvent } from "matrix-js-sdk";
import { useFederatedHomeservers } from "../lib/harness.mjs";
import { cryptoUser, decrypted, encryptedRoom, knowsDevice, send } from "../lib/e2ee.mjs";
import { eventually, startSyncing, waitFor } from "../lib/live.mjs";

const hs = useFederatedHomeservers(2);
const [A, B] = [0, 1];

/**
 * How long something may take to cross from one server to the other: a first contact fetches the
 * other's signing keys; delivery runs on every wake-up with a retry each second; a loaded machine.
 */
const CROSS_MS = 20_000;

/** A fresh user registered on server `index`, its client bound to that server and syncing. */
async function syncingUser(ctx, prefix, index) {
    const { baseUrl } = hs.servers[index];
    const user = await ctx.registerUser(prefix, { baseUrl });
    await startSyncing(user.client);
    return user;
}

function membershipOf(client, roomId, userId) {
    return client.getRoom(roomId)?.getMember(userId)?.membership;
}

/** Waits until each of `users` sees all of them joined to `roomId`. */
async function allJoined(roomId, users) {
    for (const viewer of users) {
        for (const member of users) {
            await eventually(() => membershipOf(viewer.client, roomId, member.userId) === "join",
                `${member.userId} joined at ${viewer.userId}`, CROSS_MS);
        }
    }
}

/** alice on A and bob on B, both syncing, in a public room of A that bob joined by ID through `via`. */
async function publicRoomAcrossServers(ctx, name) {
    const alice = await syncingUser(ctx, "alice", A);
    const bob = await syncingUser(ctx, "bob", B);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name });
    const room = await bob.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });
    assert.equal(room.roomId, roomId);
    await allJoined(roomId, [alice, bob]);
    return { alice, bob, roomId };
}

/** Resolves with the next live m.room.message with `body` in `roomId` that reaches `client`. */
function arrivalOf(client, roomId, body) {
    return waitFor(
        client,
        RoomEvent.Timeline,
        (event, room, toStart) =>
            !toStart && room?.roomId === roomId && event.getType() === "m.room.message" && event.getContent().body === body,
        `"${body}" at ${client.getUserId()}`,
        { timeoutMs: CROSS_MS },
    ).then(([event]) => event);
}

/** `from` sends `body`; resolves once `to` has it, checking it arrived with the ID, sender and content sent. */
async function crosses(from, to, roomId, body) {
    const arrived = arrivalOf(to.client, roomId, body);
    const { event_id: eventId } = await from.client.sendTextMessage(roomId, body);
    const event = await arrived;
    assert.equal(event.getId(), eventId, "the other server delivers the event the sender's server made");
    assert.equal(event.getSender(), from.userId);
    return event;
}

async function chat(alice, bob, roomId) {
    await crosses(alice, bob, roomId, `A to B ${randomBytes(3).toString("hex")}`);
    await crosses(bob, alice, roomId, `B to A ${randomBytes(3).toString("hex")}`);
}

hs.scenario("bob on server B joins alice's public room on server A by room ID through via, and messages cross both ways", async (ctx) => {
    const { alice, bob, roomId } = await publicRoomAcrossServers(ctx, "across servers");
    assert.notEqual(hs.servers[A].serverName, hs.servers[B].serverName);
    assert.ok(alice.userId.endsWith(`:${hs.servers[A].serverName}`) && bob.userId.endsWith(`:${hs.servers[B].serverName}`));
    await chat(alice, bob, roomId);
    // Both servers serve the same history.
    const [onA, onB] = await Promise.all([
        alice.client.createMessagesRequest(roomId, null, 10, "b"),
        bob.client.createMessagesRequest(roomId, null, 10, "b"),
    ]);
    const messages = (res) => res.chunk.filter((e) => e.type === "m.room.message").map((e) => e.event_id);
    assert.equal(messages(onA).length, 2);
    assert.deepEqual(messages(onB), messages(onA), "/messages agrees on both servers");
});

hs.scenario("typing and read receipts cross: bob on B sees alice typing and stop, alice on A sees bob's receipt", async (ctx) => {
    const { alice, bob, roomId } = await publicRoomAcrossServers(ctx, "ephemeral across servers");
    const typingAtBob = (typing) => waitFor(
        bob.client,
        RoomMemberEvent.Typing,
        (_event, member) => member.roomId === roomId && member.userId === alice.userId && member.typing === typing,
        `alice ${typing ? "typing" : "not typing"} at bob`,
        { timeoutMs: CROSS_MS },
    );
    let seen = typingAtBob(true);
    await alice.client.sendTyping(roomId, true, 20_000);
    await seen;
    seen = typingAtBob(false);
    await alice.client.sendTyping(roomId, false);
    await seen;

    const event = await crosses(alice, bob, roomId, "read me");
    await bob.client.sendReadReceipt(event);
    await eventually(
        () => alice.client.getRoom(roomId)?.getReadReceiptForUserId(bob.userId, true)?.eventId === event.getId(),
        "bob's read receipt at alice",
        CROSS_MS,
    );
});

hs.scenario("alice invites bob to a private room: he sees the invite in /sync, joins without via, and they chat", async (ctx) => {
    const alice = await syncingUser(ctx, "alice", A);
    const bob = await syncingUser(ctx, "bob", B);
    const name = `private ${randomBytes(3).toString("hex")}`;
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PrivateChat, name });
    await alice.client.invite(roomId, bob.userId);
    await eventually(() => bob.client.getRoom(roomId)?.getMyMembership() === "invite", "the invite at bob", CROSS_MS);
    const invited = bob.client.getRoom(roomId);
    const inviteEvent = invited.getMember(bob.userId).events.member;
    assert.equal(inviteEvent.getSender(), alice.userId, "alice invited him");
    assert.ok(inviteEvent.getTs() > Date.UTC(2020, 0, 1), `the invite is dated (${inviteEvent.getTs()})`);
    assert.ok(inviteEvent.getId()?.startsWith("$"), "the invite carries its event ID");
    assert.equal(invited.name, name, "the invite carries the room's stripped state");

    await bob.client.joinRoom(roomId);
    await allJoined(roomId, [alice, bob]);
    await chat(alice, bob, roomId);
});

hs.scenario("bob on server B resolves and joins alice's room by its alias on server A", async (ctx) => {
    const alice = await syncingUser(ctx, "alice", A);
    const bob = await syncingUser(ctx, "bob", B);
    const localpart = `lobby_${randomBytes(4).toString("hex")}`;
    const alias = `#${localpart}:${hs.servers[A].serverName}`;
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, room_alias_name: localpart });

    const resolved = await bob.client.getRoomIdForAlias(alias);
    assert.equal(resolved.room_id, roomId);
    assert.ok(resolved.servers.includes(hs.servers[A].serverName), JSON.stringify(resolved));
    const room = await bob.client.joinRoom(alias);
    assert.equal(room.roomId, roomId);
    await allJoined(roomId, [alice, bob]);
    await chat(alice, bob, roomId);
});

hs.scenario("in an encrypted room across servers each user decrypts the other's messages", async (ctx) => {
    const alice = await cryptoUser(ctx, "e2ealice", hs.servers[A].baseUrl);
    const bob = await cryptoUser(ctx, "e2ebob", hs.servers[B].baseUrl);
    const roomId = await encryptedRoom(alice, [bob], { viaServers: [hs.servers[A].serverName], timeoutMs: CROSS_MS });
    await knowsDevice(alice, bob.userId, bob.client.getDeviceId(), { timeoutMs: CROSS_MS });
    await knowsDevice(bob, alice.userId, alice.client.getDeviceId(), { timeoutMs: CROSS_MS });

    const bobGets = decrypted(bob.client, roomId, "across servers to bob", CROSS_MS);
    await send(alice, roomId, "across servers to bob");
    await bobGets;
    const aliceGets = decrypted(alice.client, roomId, "across servers to alice", CROSS_MS);
    await send(bob, roomId, "across servers to alice");
    await aliceGets;

    const raw = await ctx.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=10`, {
        accessToken: bob.response.access_token,
        baseUrl: hs.servers[B].baseUrl,
    });
    assert.ok(raw.body.chunk.some((e) => e.sender === alice.userId && e.type === "m.room.encrypted"),
        "server B stored alice's message encrypted");
    assert.ok(!JSON.stringify(raw.body).includes("across servers to bob"), "server B never saw the plaintext");
});

hs.scenario("bob joins a room with history on server A and scrolls back through all of it from server B", async (ctx) => {
    const alice = await syncingUser(ctx, "alice", A);
    const bob = await syncingUser(ctx, "bob", B);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "history" });
    const sent = [];
    for (let i = 0; i < 40; i++) {
        sent.push(`before bob ${i}`);
        await alice.client.sendTextMessage(roomId, `before bob ${i}`);
    }
    await bob.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });
    await eventually(() => bob.client.getRoom(roomId), "the room in bob's sync", CROSS_MS);

    const room = bob.client.getRoom(roomId);
    for (let page = 0; page < 10 && room.oldState.paginationToken !== null; page++) {
        await bob.client.scrollback(room, 20);
    }

    const events = room.getLiveTimeline().getEvents();
    assert.equal(room.oldState.paginationToken, null, "scrolled back to the start of the room");
    assert.equal(events[0].getType(), "m.room.create", "the history starts with the create event");
    const bodies = events.filter((e) => e.getType() === "m.room.message").map((e) => e.getContent().body);
    assert.deepEqual(bodies, sent, "every message before bob's join, in order, once");
});
