// /sync behaviours as matrix-js-sdk relies on them (issue #10 §5): a joined invite shows the room's history at
// once, an ignored user's messages never reach the client, lazy-loaded members arrive with the senders and the
// rest through /members, and scrollback from the live timeline (from its prev_batch) reaches the room's
// creation without a gap or a duplicate. Every response is validated against the OpenAPI schemas.

import assert from "node:assert/strict";
import { ClientEvent, EventType, Preset, RoomEvent } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

async function user(ctx, name) {
    const { response } = await ctx.registerUser(name);
    const { user_id: userId, device_id: deviceId, access_token: accessToken } = response;
    return { userId, deviceId, accessToken, client: ctx.client({ userId, deviceId, accessToken }) };
}

/** Starts the client's sync loop and resolves once its first sync is in. */
function started(client, opts = {}) {
    return new Promise((resolve, reject) => {
        client.on(ClientEvent.Sync, (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") resolve();
            if (state === "ERROR") reject(data?.error ?? new Error("sync error"));
        });
        client.startClient({ initialSyncLimit: 10, ...opts });
    });
}

/** Polls `check` until it returns a truthy value (within 20 s). */
async function until(what, check) {
    const deadline = Date.now() + 20_000;
    for (;;) {
        const value = check();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** The bodies of the m.room.message events of a room's live timeline. */
function liveBodies(room) {
    return room.getLiveTimeline().getEvents().filter((e) => e.getType() === EventType.RoomMessage)
        .map((e) => e.getContent().body);
}

hs.scenario("accepting an invite shows the room's earlier messages at once, without scrolling back", async (ctx) => {
    const alice = await user(ctx, "hist_alice");
    const bob = await user(ctx, "hist_bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PrivateChat, name: "History" });
    const earlier = ["before 1", "before 2", "before 3", "before 4", "before 5"];
    for (const text of earlier) await alice.client.sendTextMessage(roomId, text);
    try {
        await started(bob.client);
        await alice.client.invite(roomId, bob.userId);
        const invited = await until("bob's client to see the invite",
            () => bob.client.getRoom(roomId)?.getMyMembership() === "invite" && bob.client.getRoom(roomId));
        const inviteEvent = invited.currentState.getMember(bob.userId)?.events.member;
        assert.equal(inviteEvent?.getSender(), alice.userId);
        assert.ok(inviteEvent.getTs() > Date.UTC(2020, 0, 1), `the invite is dated (${inviteEvent.getTs()})`);
        assert.ok(inviteEvent.getId()?.startsWith("$"), "the invite carries its event ID");

        await bob.client.joinRoom(roomId);
        const room = await until("the joined room's history at bob",
            () => bob.client.getRoom(roomId)?.getMyMembership() === "join" && liveBodies(bob.client.getRoom(roomId))
                .length === earlier.length && bob.client.getRoom(roomId));
        assert.deepEqual(liveBodies(room), earlier);
        assert.equal(room.currentState.getMember(alice.userId)?.membership, "join", "the state came with it");
        assert.equal(room.name, "History");
    } finally {
        bob.client.stopClient();
    }
});

hs.scenario("a user ignored with setIgnoredUsers has their messages hidden by the server", async (ctx) => {
    const alice = await user(ctx, "ign_alice");
    const bob = await user(ctx, "ign_bob");
    const mallory = await user(ctx, "ign_mallory");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat });
    await bob.client.joinRoom(roomId);
    await mallory.client.joinRoom(roomId);
    const seen = [];
    alice.client.on(RoomEvent.Timeline, (event, room) => {
        if (room?.roomId === roomId && event.getType() === EventType.RoomMessage) seen.push(event.getContent().body);
    });
    try {
        await started(alice.client);
        await alice.client.setIgnoredUsers([mallory.userId]);
        await until("the ignored list to come back through /sync", () => alice.client.isUserIgnored(mallory.userId));
        await mallory.client.sendTextMessage(roomId, "from mallory");
        await bob.client.sendTextMessage(roomId, "from bob");
        await until("bob's message at alice", () => seen.includes("from bob"));
        assert.ok(!seen.includes("from mallory"), `alice's client got ${JSON.stringify(seen)}`);

        const { status, body } = await ctx.request("GET",
            `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=50`,
            { accessToken: alice.accessToken });
        assert.equal(status, 200);
        const bodies = body.chunk.filter((e) => e.type === "m.room.message").map((e) => e.content.body);
        assert.deepEqual(bodies, ["from bob"]);
    } finally {
        alice.client.stopClient();
    }
});

hs.scenario("lazy-loaded members: the timeline's senders come with /sync, the others through loadMembersIfNeeded", async (ctx) => {
    const alice = await user(ctx, "lazy_alice");
    const bob = await user(ctx, "lazy_bob");
    const carol = await user(ctx, "lazy_carol");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "Lazy" });
    await bob.client.joinRoom(roomId);
    await carol.client.joinRoom(roomId);
    await bob.client.sendTextMessage(roomId, "bob talks");
    try {
        await started(alice.client, { lazyLoadMembers: true, initialSyncLimit: 1 });
        const room = await until("the room at alice", () => alice.client.getRoom(roomId));
        const loaded = () => room.currentState.getMembers().map((m) => m.userId).sort();
        assert.deepEqual(loaded(), [alice.userId, bob.userId].sort(), "only the sender and alice at first");
        assert.equal(room.getJoinedMemberCount(), 3, "the summary counts everyone");

        await room.loadMembersIfNeeded();
        assert.deepEqual(loaded(), [alice.userId, bob.userId, carol.userId].sort());

        await carol.client.sendTextMessage(roomId, "carol talks");
        await until("carol's message at alice", () => liveBodies(room).includes("carol talks"));
        assert.equal(room.getMember(carol.userId)?.membership, "join");
    } finally {
        alice.client.stopClient();
    }
});

hs.scenario("scrollback from the live timeline reaches the room's creation with every message once", async (ctx) => {
    const alice = await user(ctx, "scroll_alice");
    const bob = await user(ctx, "scroll_bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat });
    const sent = [];
    for (let i = 1; i <= 30; i++) {
        sent.push(`old ${i}`);
        await alice.client.sendTextMessage(roomId, `old ${i}`);
    }
    await bob.client.joinRoom(roomId);
    try {
        await started(bob.client, { initialSyncLimit: 5 });
        const room = await until("the room at bob", () => bob.client.getRoom(roomId));
        for (let rounds = 0; room.oldState.paginationToken !== null; rounds++) {
            assert.ok(rounds < 20, "scrollback ends");
            await bob.client.scrollback(room, 7);
        }
        const events = room.getLiveTimeline().getEvents();
        assert.equal(events[0].getType(), EventType.RoomCreate, "the timeline starts at the room's creation");
        assert.deepEqual(liveBodies(room), sent);
        const ids = events.map((e) => e.getId());
        assert.equal(new Set(ids).size, ids.length, "no event twice");
    } finally {
        bob.client.stopClient();
    }
});

hs.scenario("state changed in the timeline reaches the client through state_after, which it applies instead", async (ctx) => {
    const alice = await user(ctx, "after_alice");
    const bob = await user(ctx, "after_bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "Before" });
    await bob.client.joinRoom(roomId);
    try {
        await started(bob.client, { lazyLoadMembers: true });
        const room = await until("the room at bob", () => bob.client.getRoom(roomId)?.name === "Before"
            && bob.client.getRoom(roomId));

        await alice.client.setRoomName(roomId, "After");
        await alice.client.setRoomTopic(roomId, "changed in the timeline");
        await alice.client.sendStateEvent(roomId, EventType.RoomMember,
            { membership: "join", displayname: "Alice Renamed" }, alice.userId);
        await alice.client.sendTextMessage(roomId, "after the changes");
        await until("the message at bob", () => liveBodies(room).includes("after the changes"));

        assert.equal(room.name, "After");
        assert.equal(room.currentState.getStateEvents(EventType.RoomTopic, "")?.getContent().topic,
            "changed in the timeline");
        assert.equal(room.getMember(alice.userId)?.name, "Alice Renamed");

        // The SDK asked with MSC4222's flag and got the unstable field, without `state`, for this room.
        const syncs = ctx.recorder.exchanges.filter((x) => x.target.includes("/sync?") && x.status === 200);
        assert.ok(syncs.every((x) => new URL(x.target, hs.baseUrl).searchParams
            .get("org.matrix.msc4222.use_state_after") === "true"), "every sync asks for the state after");
        const rooms = syncs.map((x) => JSON.parse(x.responseBody).rooms?.join?.[roomId]).filter(Boolean);
        assert.ok(rooms.length > 0, "the room came in syncs");
        for (const joined of rooms) {
            assert.ok("org.matrix.msc4222.state_after" in joined, "state_after under the unstable name");
            assert.ok(!("state" in joined), "no state beside it");
        }
        const carried = rooms.flatMap((joined) => joined["org.matrix.msc4222.state_after"].events)
            .map((e) => `${e.type}|${e.state_key}`);
        assert.ok(["m.room.name|", "m.room.topic|", `m.room.member|${alice.userId}`].every((k) => carried.includes(k)),
            `the timeline's state changes came in state_after (${carried})`);
    } finally {
        bob.client.stopClient();
    }
});
