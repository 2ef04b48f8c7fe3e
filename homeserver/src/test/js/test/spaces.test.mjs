// Spaces, members at a sync token and r0, as matrix-js-sdk uses them: alice builds a space whose children are
// one suggested room, one ordered room and one subspace, and bob walks it with getRoomHierarchy (whole, page by
// page through next_batch, suggested only, one level deep) and previews a child with the room summary; a client
// syncing with lazy-loaded members loads the member list with loadMembersIfNeeded, which sends its sync token as
// /members?at=; and an old client's calls under /_matrix/client/r0 answer like their v3 twins.

import assert from "node:assert/strict";
import { ClientEvent, Preset } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

const accounts = {};

/** Registers `name` once for the file; returns a fresh client for it in this scenario's context. */
async function user(ctx, name) {
    if (!accounts[name]) {
        const { response } = await ctx.registerUser(name);
        accounts[name] = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    }
    const { userId, deviceId, accessToken } = accounts[name];
    return { userId, accessToken, client: ctx.client({ userId, deviceId, accessToken }) };
}

function serverOf(userId) {
    return userId.slice(userId.indexOf(":") + 1);
}

/** Starts the client's sync loop and resolves once its first sync is in. */
function started(client, opts) {
    return new Promise((resolve, reject) => {
        client.on(ClientEvent.Sync, (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") resolve();
            if (state === "ERROR") reject(data?.error ?? new Error("sync error"));
        });
        client.startClient(opts);
    });
}

async function space(ctx) {
    const alice = await user(ctx, "alice");
    const server = serverOf(alice.userId);
    const create = (name, extra = {}) =>
        alice.client.createRoom({ preset: Preset.PublicChat, name, ...extra }).then((r) => r.room_id);
    const spaceId = await create("Interop space", { creation_content: { type: "m.space" } });
    const subspace = await create("Interop subspace", { creation_content: { type: "m.space" } });
    const suggested = await create("Suggested room");
    const ordered = await create("Ordered room");
    const deep = await create("Deep room");
    await alice.client.sendStateEvent(spaceId, "m.space.child", { via: [server] }, subspace);
    await alice.client.sendStateEvent(spaceId, "m.space.child", { via: [server], suggested: true }, suggested);
    await alice.client.sendStateEvent(spaceId, "m.space.child", { via: [server], order: "a" }, ordered);
    await alice.client.sendStateEvent(subspace, "m.space.child", { via: [server] }, deep);
    return { spaceId, subspace, suggested, ordered, deep };
}

hs.scenario("getRoomHierarchy walks a space in order, page by page, suggested only and one level deep", async (ctx) => {
    const tree = await space(ctx);
    const bob = await user(ctx, "bob");
    const expected = [tree.spaceId, tree.ordered, tree.subspace, tree.deep, tree.suggested];

    const whole = await bob.client.getRoomHierarchy(tree.spaceId);
    assert.deepEqual(whole.rooms.map((r) => r.room_id), expected, "depth first, ordered children first");
    assert.equal(whole.next_batch, undefined);
    const root = whole.rooms[0];
    assert.equal(root.room_type, "m.space");
    assert.equal(root.name, "Interop space");
    assert.equal(root.num_joined_members, 1);
    assert.equal(root.children_state.length, 3);
    assert.ok(root.children_state.every((e) => e.type === "m.space.child" && Number.isInteger(e.origin_server_ts)));
    assert.deepEqual(whole.rooms[1].children_state, [], "a room that is no space has no children");

    const paged = [];
    let from;
    for (let page = 0; page < 10; page++) {
        const res = await bob.client.getRoomHierarchy(tree.spaceId, 2, undefined, false, from);
        assert.ok(res.rooms.length <= 2);
        paged.push(...res.rooms.map((r) => r.room_id));
        from = res.next_batch;
        if (!from) break;
    }
    assert.deepEqual(paged, expected, "the pages add up to the whole walk");

    const suggested = await bob.client.getRoomHierarchy(tree.spaceId, undefined, undefined, true);
    assert.deepEqual(suggested.rooms.map((r) => r.room_id), [tree.spaceId, tree.suggested]);
    const shallow = await bob.client.getRoomHierarchy(tree.spaceId, undefined, 1);
    assert.deepEqual(shallow.rooms.map((r) => r.room_id), [tree.spaceId, tree.ordered, tree.subspace, tree.suggested]);

    const summary = await ctx.request("GET", `/_matrix/client/v1/room_summary/${encodeURIComponent(tree.deep)}`, {
        accessToken: bob.accessToken,
    });
    assert.equal(summary.status, 200);
    assert.equal(summary.body.name, "Deep room");
    assert.equal(summary.body.membership, "leave");
});

hs.scenario("loadMembersIfNeeded after a lazy-loading sync asks /members at the sync token", async (ctx) => {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const carol = await user(ctx, "carol");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "members" });
    await bob.client.joinRoom(roomId);
    await carol.client.joinRoom(roomId);
    await carol.client.leave(roomId);
    await alice.client.sendTextMessage(roomId, "only alice has spoken");

    const syncing = await user(ctx, "alice");
    await started(syncing.client, { lazyLoadMembers: true, initialSyncLimit: 1 });
    const room = syncing.client.getRoom(roomId);
    assert.ok(room, "the room is in alice's sync");
    await room.loadMembersIfNeeded();
    const joined = room.getJoinedMembers().map((m) => m.userId).sort();
    assert.deepEqual(joined, [alice.userId, bob.userId].sort(), "both joined members, the one who left not");

    const asked = ctx.recorder.exchanges.filter((x) => x.target.includes("/members?"));
    assert.equal(asked.length, 1, "one /members request");
    const at = new URL(asked[0].target, hs.baseUrl).searchParams.get("at");
    // The SDK asks with the token of the sync it had then; the next long-poll may have moved on since.
    const syncTokens = ctx.recorder.exchanges
        .filter((x) => x.target.includes("/sync?") && x.status === 200)
        .map((x) => JSON.parse(x.responseBody).next_batch);
    assert.ok(syncTokens.includes(at), `at (${at}) is a next_batch this client received`);
    assert.equal(asked[0].status, 200);

    const direct = await alice.client.members(roomId, undefined, "leave", at);
    assert.deepEqual(direct.chunk.map((e) => e.state_key).sort(), [alice.userId, bob.userId].sort());
});

hs.scenario("calls under /_matrix/client/r0 answer like their v3 twins", async (ctx) => {
    const alice = await user(ctx, "alice");
    const whoami = await ctx.request("GET", "/_matrix/client/r0/account/whoami", { accessToken: alice.accessToken });
    assert.equal(whoami.status, 200);
    assert.equal(whoami.body.user_id, alice.userId);
    const created = await ctx.request("POST", "/_matrix/client/r0/createRoom", {
        accessToken: alice.accessToken,
        body: { name: "r0 room" },
    });
    assert.equal(created.status, 200);
    const roomId = created.body.room_id;
    const state = await ctx.request("GET", `/_matrix/client/r0/rooms/${encodeURIComponent(roomId)}/state`, {
        accessToken: alice.accessToken,
    });
    assert.equal(state.status, 200);
    assert.ok(state.body.some((e) => e.type === "m.room.name" && e.content.name === "r0 room"));
    // An SDK client whose every call goes under r0, as an r0-era client's did.
    const r0Client = ctx.client({ userId: alice.userId, accessToken: alice.accessToken });
    r0Client.http.opts.prefix = "/_matrix/client/r0";
    const rooms = await r0Client.getJoinedRooms();
    assert.ok(rooms.joined_rooms.includes(roomId));
    assert.ok(ctx.recorder.exchanges.some((x) => x.target.startsWith("/_matrix/client/r0/joined_rooms")));
});
