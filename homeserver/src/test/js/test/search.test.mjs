// Server-side search and the user directory as matrix-js-sdk uses them: searchRoomEvents (order
// "recent", one event of context either side with profiles) and backPaginateRoomEventsSearch
// through next_batch; client.search with a raw body for rank order, groupings and include_state;
// history visibility (a "joined" room hides what was said before the searcher joined); bad
// input; and searchUserDirectory for users sharing a room, renames and limit/limited.
//
// Every response is validated against the v1.19 OpenAPI schemas by the harness.

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Preset } from "matrix-js-sdk";
import { expectMatrixError, useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

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

/** A word of letters no other scenario uses, so searches see only their own messages. */
function word(stem) {
    return stem + [...randomBytes(6)].map((b) => "bcdfghjkmnpqrstvwxz"[b % 19]).join("");
}

async function say(client, roomId, body) {
    const { event_id: eventId } = await client.sendTextMessage(roomId, body);
    return eventId;
}

hs.scenario("searchRoomEvents finds messages with context and pages back through next_batch", async (ctx) => {
    const alice = await user(ctx, "alice");
    const bob = await user(ctx, "bob");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "search" });
    await bob.client.joinRoom(roomId);
    const term = word("comet");
    const sent = [];
    await say(alice.client, roomId, "warming up");
    for (let i = 0; i < 5; i++) {
        sent.push(await say(i % 2 ? bob.client : alice.client, roomId, `the ${term} number ${i}`));
    }

    const results = await bob.client.searchRoomEvents({ term, filter: { limit: 2 } });
    assert.equal(results.count, 5);
    assert.deepEqual(results.highlights, [term]);
    assert.equal(results.results.length, 2);
    assert.ok(results.next_batch, "a full page has a next_batch");
    const newest = results.results[0];
    assert.equal(newest.context.getEvent().getId(), sent[4], "order recent: the newest first");
    assert.equal(newest.context.getTimeline().length, 2, "one event before, none after the newest");
    assert.ok(newest.rank > 0);

    let pages = 1;
    while (results.next_batch) {
        await bob.client.backPaginateRoomEventsSearch(results);
        assert.ok(++pages < 10, "paging ends");
    }
    assert.deepEqual(results.results.map((r) => r.context.getEvent().getId()), [...sent].reverse());
});

hs.scenario("a joined-only room hides from a newcomer's search what was said before they joined", async (ctx) => {
    const alice = await user(ctx, "alice");
    const carol = await user(ctx, "carol");
    const { room_id: roomId } = await alice.client.createRoom({
        preset: Preset.PublicChat,
        initial_state: [{ type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
    });
    const term = word("secret");
    await say(alice.client, roomId, `${term} before carol`);
    await carol.client.joinRoom(roomId);
    const after = await say(alice.client, roomId, `${term} after carol joined`);

    const found = await carol.client.searchRoomEvents({ term });
    assert.deepEqual(found.results.map((r) => r.context.getEvent().getId()), [after]);
    const all = await alice.client.searchRoomEvents({ term });
    assert.equal(all.results.length, 2);
});

hs.scenario("search by rank with groupings and include_state, and bad input", async (ctx) => {
    const alice = await user(ctx, "alice");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PrivateChat, name: "ranked" });
    const term = word("apple");
    const best = await say(alice.client, roomId, `${term} ${term} ${term} pie`);
    await say(alice.client, roomId, `one ${term} in a much longer sentence with many other words`);

    const res = await alice.client.search({
        body: {
            search_categories: {
                room_events: {
                    search_term: term,
                    order_by: "rank",
                    keys: ["content.body"],
                    include_state: true,
                    groupings: { group_by: [{ key: "room_id" }, { key: "sender" }] },
                },
            },
        },
    });
    const roomEvents = res.search_categories.room_events;
    assert.equal(roomEvents.results[0].result.event_id, best, "the best match first");
    assert.ok(roomEvents.results[0].rank >= roomEvents.results[1].rank);
    assert.equal(roomEvents.groups.room_id[roomId].results.length, 2);
    assert.equal(roomEvents.groups.sender[alice.userId].order, 1);
    assert.ok(roomEvents.state[roomId].some((e) => e.type === "m.room.name" && e.content.name === "ranked"));

    await expectMatrixError(alice.client.search({ body: { search_categories: { people: { search_term: term } } } }),
        400, "M_INVALID_PARAM");
    await expectMatrixError(alice.client.search({ body: { search_categories: { room_events: {} } } }),
        400, "M_MISSING_PARAM");
    await expectMatrixError(alice.client.search({
        body: { search_categories: { room_events: { search_term: term, order_by: "oldest" } } },
    }), 400, "M_INVALID_PARAM");
    await expectMatrixError(alice.client.search({
        body: { search_categories: { room_events: { search_term: term } } }, next_batch: "garbage",
    }), 400, "M_INVALID_PARAM");
});

hs.scenario("searchUserDirectory finds room-mates, follows renames and honours limit", async (ctx) => {
    // Users of their own: bob of the other scenarios is in a public room, which anyone may search.
    const alice = await user(ctx, "diralice");
    const bob = await user(ctx, "dirbob");
    const dave = await user(ctx, "dirdave");
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PrivateChat });
    await alice.client.invite(roomId, bob.userId);
    await bob.client.joinRoom(roomId);
    const name = word("Zelda");
    await bob.client.setDisplayName(`${name} Fitzgerald`);

    const found = await alice.client.searchUserDirectory({ term: name.slice(0, 8) });
    assert.deepEqual(found.results.map((u) => u.user_id), [bob.userId]);
    assert.equal(found.results[0].display_name, `${name} Fitzgerald`);
    assert.equal(found.limited, false);

    const hidden = await dave.client.searchUserDirectory({ term: name });
    assert.deepEqual(hidden.results, [], "dave shares no room with bob, and the room is private");

    const renamed = word("Yvonne");
    await bob.client.setDisplayName(renamed);
    assert.deepEqual((await alice.client.searchUserDirectory({ term: name })).results, []);
    assert.deepEqual((await alice.client.searchUserDirectory({ term: renamed })).results.map((u) => u.user_id),
        [bob.userId]);

    const crowd = word("crowd");
    const { room_id: publicRoom } = await alice.client.createRoom({ preset: Preset.PublicChat });
    await alice.client.setDisplayName(`${crowd} Alice`);
    await bob.client.setDisplayName(`${crowd} Bob`);
    await bob.client.joinRoom(publicRoom);
    const limited = await dave.client.searchUserDirectory({ term: crowd, limit: 1 });
    assert.equal(limited.results.length, 1);
    assert.equal(limited.limited, true);
    const both = await dave.client.searchUserDirectory({ term: crowd });
    assert.deepEqual(both.results.map((u) => u.user_id).sort(), [alice.userId, bob.userId].sort());
});
