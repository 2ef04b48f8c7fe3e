// Rooms as two real clients use them: alice creates a room and invites bob, bob joins, they
// talk both ways and read the room back through /messages (one page and the whole history in
// pages), change the topic and the power levels, redact, leave; a banned user cannot rejoin,
// and someone who was never in a private room cannot read it.
//
// No /sync loop runs (the SDK's startClient is never called): every read is an explicit
// request, as a client does for scroll-back. All accounts are registered once per file (the
// registration rate limit would otherwise dominate the run time); each scenario makes its own
// clients, so its responses are validated and transcribed under that scenario, and its own room.

import assert from "node:assert/strict";
import { Direction, MatrixEvent, Preset } from "matrix-js-sdk";
import { expectMatrixError, useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

/** Page size for the history walk, and how many messages make the history span several pages. */
const PAGE = 10;
const HISTORY_MESSAGES = 30;

const accounts = {};

/** Registers `name` once for the file; returns a fresh client for it in this scenario's context. */
async function user(ctx, name) {
    if (!accounts[name]) {
        const { response } = await ctx.registerUser(name);
        accounts[name] = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token };
    }
    const { userId, deviceId, accessToken } = accounts[name];
    return { userId, client: ctx.client({ userId, deviceId, accessToken }) };
}

/** alice creates a room with `preset`, invites bob (private) or not (public), and bob joins. */
async function roomWithAliceAndBob(ctx, preset = Preset.PrivateChat) {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset, name: "interop rooms" });
    assert.match(roomId, /^!/, "createRoom returns a room ID");
    if (preset !== Preset.PublicChat) await alice.client.invite(roomId, bob.userId);
    await bob.client.joinRoom(roomId);
    return { alice, bob, roomId };
}

/** One /messages page through the SDK, as a client's scroll-back does. */
function messagesPage(client, roomId, from, dir = Direction.Backward, limit = PAGE) {
    return client.createMessagesRequest(roomId, from ?? null, limit, dir);
}

/**
 * Follows `end` from the live end (dir=b) or the room's start (dir=f) until the server omits it,
 * which it must do once nothing more is visible. Returns the events in the order received and
 * the pages' sizes.
 */
async function wholeHistory(client, roomId, dir, limit = PAGE) {
    const events = [];
    const pageSizes = [];
    let from;
    for (let page = 0; ; page++) {
        assert.ok(page < 100, `pagination did not end after 100 pages of ${limit} (last token ${from})`);
        const res = await messagesPage(client, roomId, from, dir, limit);
        assert.ok(Array.isArray(res.chunk), "chunk is an array");
        assert.ok(res.chunk.length <= limit, `page ${page} has ${res.chunk.length} events, more than limit=${limit}`);
        if (from !== undefined) assert.equal(res.start, from, `page ${page}: start echoes the from token`);
        events.push(...res.chunk);
        pageSizes.push(res.chunk.length);
        if (res.end === undefined) return { events, pageSizes };
        assert.notEqual(res.end, from, `page ${page}: end ${res.end} would not advance`);
        from = res.end;
    }
}

function bodies(events) {
    return events.filter((e) => e.type === "m.room.message").map((e) => e.content.body);
}

function byId(events, eventId) {
    const found = events.find((e) => e.event_id === eventId);
    assert.ok(found, `event ${eventId} is in /messages: ${JSON.stringify(events.map((e) => e.event_id))}`);
    return found;
}

hs.scenario("alice creates a private room, invites bob, bob joins, they talk both ways and read it back via /messages", async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx);

    const { joined } = await alice.client.getJoinedRoomMembers(roomId);
    assert.deepEqual(Object.keys(joined).sort(), [alice.userId, bob.userId].sort(), "both are joined");
    assert.ok((await bob.client.getJoinedRooms()).joined_rooms.includes(roomId), "the room is in bob's joined_rooms");

    const hello = await alice.client.sendTextMessage(roomId, "hello bob");
    const hi = await bob.client.sendTextMessage(roomId, "hi alice");
    const howAreYou = await alice.client.sendTextMessage(roomId, "how are you?");

    for (const reader of [alice, bob]) {
        const page = await messagesPage(reader.client, roomId);
        const latest = page.chunk.slice(0, 3);
        assert.deepEqual(
            latest.map((e) => [e.event_id, e.sender, e.type, e.content.body]),
            [
                [howAreYou.event_id, alice.userId, "m.room.message", "how are you?"],
                [hi.event_id, bob.userId, "m.room.message", "hi alice"],
                [hello.event_id, alice.userId, "m.room.message", "hello bob"],
            ],
            `${reader.userId} reads the conversation newest first`,
        );
        for (const e of latest) {
            assert.equal(e.room_id, roomId);
            assert.equal(e.content.msgtype, "m.text");
            assert.equal(typeof e.origin_server_ts, "number");
        }
        const joinedBob = page.chunk.find((e) => e.type === "m.room.member" && e.state_key === bob.userId);
        assert.equal(joinedBob?.content.membership, "join", "bob's join is in the timeline before the messages");
    }

    const fetched = await bob.client.fetchRoomEvent(roomId, hello.event_id);
    assert.equal(fetched.content.body, "hello bob", "GET /event returns alice's message to bob");
});

hs.scenario(`${HISTORY_MESSAGES} messages page back ${PAGE} at a time following end until it is omitted, and forward the same`, async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx);
    const sent = [];
    for (let i = 0; i < HISTORY_MESSAGES; i++) {
        const sender = i % 2 === 0 ? alice : bob;
        const body = `message ${String(i).padStart(2, "0")}`;
        sent.push({ body, eventId: (await sender.client.sendTextMessage(roomId, body)).event_id });
    }

    const back = await wholeHistory(bob.client, roomId, Direction.Backward);
    const ids = back.events.map((e) => e.event_id);
    assert.equal(new Set(ids).size, ids.length, `no event appears twice walking back: ${ids}`);
    assert.deepEqual(bodies(back.events), sent.map((s) => s.body).reverse(), "every message, newest first");
    assert.deepEqual(
        back.events.filter((e) => e.type === "m.room.message").map((e) => e.event_id),
        sent.map((s) => s.eventId).reverse(),
        "the event IDs the sends returned",
    );
    assert.ok(back.pageSizes.length >= Math.ceil(HISTORY_MESSAGES / PAGE), `several pages: ${back.pageSizes}`);
    assert.ok(back.pageSizes.slice(0, 3).every((n) => n === PAGE), `full pages while there is more: ${back.pageSizes}`);
    const oldest = back.events.at(-1);
    assert.equal(oldest.type, "m.room.create", "the walk back ends at m.room.create");
    const members = back.events.filter((e) => e.type === "m.room.member").map((e) => [e.state_key, e.content.membership]);
    assert.deepEqual(
        members,
        [
            [bob.userId, "join"],
            [bob.userId, "invite"],
            [alice.userId, "join"],
        ],
        "alice's join, bob's invite and join, newest first",
    );

    const forward = await wholeHistory(bob.client, roomId, Direction.Forward);
    assert.deepEqual(
        forward.events.map((e) => e.event_id),
        [...ids].reverse(),
        "walking forward from the start yields the same events oldest first",
    );
    for (let i = 1; i < forward.events.length; i++) {
        assert.ok(
            forward.events[i].origin_server_ts >= forward.events[i - 1].origin_server_ts,
            `origin_server_ts does not go back in time at ${forward.events[i].event_id}`,
        );
    }

    // A page resumed from a token in the middle continues exactly there.
    const first = await messagesPage(alice.client, roomId, undefined, Direction.Backward, 5);
    const next = await messagesPage(alice.client, roomId, first.end, Direction.Backward, 5);
    assert.deepEqual(bodies([...first.chunk, ...next.chunk]), sent.slice(-10).map((s) => s.body).reverse());
});

hs.scenario("setRoomTopic and setPowerLevel: bob may change the topic only once alice raises him to 50", async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx);

    await alice.client.setRoomTopic(roomId, "first topic");
    assert.equal((await bob.client.getStateEvent(roomId, "m.room.topic", "")).topic, "first topic");

    await expectMatrixError(bob.client.setRoomTopic(roomId, "bob's topic"), 403, "M_FORBIDDEN");
    await expectMatrixError(bob.client.setPowerLevel(roomId, bob.userId, 100), 403, "M_FORBIDDEN");

    const { event_id: plEventId } = await alice.client.setPowerLevel(roomId, bob.userId, 50);
    const levels = await bob.client.getStateEvent(roomId, "m.room.power_levels", "");
    assert.equal(levels.users[bob.userId], 50, `bob is at 50: ${JSON.stringify(levels)}`);

    await bob.client.setRoomTopic(roomId, "bob's topic");
    const state = await alice.client.roomState(roomId);
    const topic = state.find((e) => e.type === "m.room.topic" && e.state_key === "");
    assert.equal(topic?.content.topic, "bob's topic", "GET /state has bob's topic");
    assert.equal(topic.sender, bob.userId);
    assert.equal(state.find((e) => e.type === "m.room.power_levels")?.event_id, plEventId, "GET /state has the new levels");

    const { chunk } = await messagesPage(alice.client, roomId);
    assert.deepEqual(
        chunk.slice(0, 3).map((e) => [e.type, e.sender, e.state_key]),
        [
            ["m.room.topic", bob.userId, ""],
            ["m.room.power_levels", alice.userId, ""],
            ["m.room.topic", alice.userId, ""],
        ],
        "the three state changes are in the timeline, newest first",
    );
});

hs.scenario("redactEvent: the message reads back redacted in /messages and /event, the redaction follows it", async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx);
    const { event_id: oops } = await bob.client.sendTextMessage(roomId, "something regrettable");
    const { event_id: keep } = await alice.client.sendTextMessage(roomId, "something fine");

    // alice (the creator) may redact bob's event: redact defaults to 50.
    const { event_id: redaction } = await alice.client.redactEvent(roomId, oops, undefined, { reason: "spam" });
    assert.match(redaction, /^\$/, "PUT /redact returns the redaction's event ID");

    for (const reader of [alice, bob]) {
        const { chunk } = await messagesPage(reader.client, roomId);
        const redacted = byId(chunk, oops);
        assert.deepEqual(redacted.content, {}, `${reader.userId}: the message's content is stripped`);
        assert.equal(redacted.type, "m.room.message");
        assert.equal(redacted.sender, bob.userId);
        assert.equal(redacted.unsigned?.redacted_because?.event_id, redaction, "unsigned.redacted_because is the redaction");
        assert.ok(new MatrixEvent(redacted).isRedacted(), "matrix-js-sdk considers it redacted");
        assert.equal(byId(chunk, keep).content.body, "something fine", "the other message is untouched");

        const r = byId(chunk, redaction);
        assert.equal(r.type, "m.room.redaction");
        assert.equal(r.redacts ?? r.content.redacts, oops, "the redaction names the message");
        assert.equal(r.content.reason, "spam");
        assert.equal(chunk[0].event_id, redaction, "the redaction is the newest event");
    }
    const fetched = await bob.client.fetchRoomEvent(roomId, oops);
    assert.deepEqual(fetched.content, {}, "GET /event returns it redacted too");
});

hs.scenario("leave: bob is gone from joined_members and joined_rooms, cannot send, and does not see what follows", async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx);
    const { event_id: before } = await alice.client.sendTextMessage(roomId, "before bob leaves");

    await bob.client.leave(roomId);
    const { event_id: after } = await alice.client.sendTextMessage(roomId, "after bob left");

    assert.deepEqual(Object.keys((await alice.client.getJoinedRoomMembers(roomId)).joined), [alice.userId]);
    assert.ok(!(await bob.client.getJoinedRooms()).joined_rooms.includes(roomId), "not in bob's joined_rooms");
    await expectMatrixError(bob.client.sendTextMessage(roomId, "still here?"), 403, "M_FORBIDDEN");

    // A former member reads up to his leave and no further.
    const { chunk } = await messagesPage(bob.client, roomId);
    assert.equal(chunk[0]?.type, "m.room.member", "bob's newest visible event is his leave");
    assert.equal(chunk[0].state_key, bob.userId);
    assert.equal(chunk[0].content.membership, "leave");
    byId(chunk, before);
    assert.ok(!chunk.some((e) => e.event_id === after), "bob does not see what was sent after he left");

    const aliceView = await messagesPage(alice.client, roomId);
    assert.equal(aliceView.chunk[0].event_id, after, "alice sees her message after bob's leave");
});

hs.scenario("a banned user cannot rejoin a public room (403 M_FORBIDDEN) until unbanned", async (ctx) => {
    const { alice, bob, roomId } = await roomWithAliceAndBob(ctx, Preset.PublicChat);

    await alice.client.ban(roomId, bob.userId, "interop ban");
    const member = await alice.client.getStateEvent(roomId, "m.room.member", bob.userId);
    assert.equal(member.membership, "ban");
    assert.equal(member.reason, "interop ban");

    await expectMatrixError(bob.client.joinRoom(roomId), 403, "M_FORBIDDEN");
    await expectMatrixError(bob.client.sendTextMessage(roomId, "let me in"), 403, "M_FORBIDDEN");
    assert.deepEqual(Object.keys((await alice.client.getJoinedRoomMembers(roomId)).joined), [alice.userId]);

    await alice.client.unban(roomId, bob.userId);
    await bob.client.joinRoom(roomId);
    assert.equal((await alice.client.getStateEvent(roomId, "m.room.member", bob.userId)).membership, "join");
});

hs.scenario("someone never in a private room cannot read it: /messages, /state, /members are 403 M_FORBIDDEN", async (ctx) => {
    const { alice, roomId } = await roomWithAliceAndBob(ctx);
    const { event_id: secret } = await alice.client.sendTextMessage(roomId, "members only");
    const eve = await user(ctx, "eve");

    await expectMatrixError(messagesPage(eve.client, roomId), 403, "M_FORBIDDEN");
    await expectMatrixError(messagesPage(eve.client, roomId, undefined, Direction.Forward), 403, "M_FORBIDDEN");
    await expectMatrixError(eve.client.roomState(roomId), 403, "M_FORBIDDEN");
    await expectMatrixError(eve.client.getStateEvent(roomId, "m.room.name", ""), 403, "M_FORBIDDEN");
    await expectMatrixError(eve.client.members(roomId), 403, "M_FORBIDDEN");
    // An invite-only room cannot be joined without an invite, and nothing leaked through the reads.
    await expectMatrixError(eve.client.joinRoom(roomId), 403, "M_FORBIDDEN");
    assert.ok(secret.startsWith("$"));
});

hs.scenario("GET /event of a private room's message is 404 M_NOT_FOUND for a non-member, as for an unknown event", async (ctx) => {
    const { alice, roomId } = await roomWithAliceAndBob(ctx);
    const { event_id: secret } = await alice.client.sendTextMessage(roomId, "members only");
    const eve = await user(ctx, "eve");
    // getOneRoomEvent documents only 404: "The event was not found or you do not have permission
    // to read this event" (no 403), so a non-member cannot tell a real event ID from a made-up one.
    await expectMatrixError(eve.client.fetchRoomEvent(roomId, secret), 404, "M_NOT_FOUND");
    await expectMatrixError(eve.client.fetchRoomEvent(roomId, "$doesnotexist"), 404, "M_NOT_FOUND");
});
