// Filters: matrix-js-sdk uploads a filter and reads it back; the failure paths (another user's
// path, a malformed filter, an unknown ID) answer with the documented status and errcode.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

const LAZY_TIMELINE = {
    room: {
        state: { lazy_load_members: true, types: ["m.room.*"] },
        timeline: { limit: 20, not_senders: ["@spam:example.com"] },
    },
    presence: { not_types: ["*"] },
    event_fields: ["type", "content", "sender", "content.m\\.relates_to"],
};

function filterPath(userId, filterId) {
    const base = `/_matrix/client/v3/user/${encodeURIComponent(userId)}/filter`;
    return filterId === undefined ? base : `${base}/${encodeURIComponent(filterId)}`;
}

hs.scenario("createFilter then getFilter (uncached) returns the definition as uploaded", async (ctx) => {
    const { client, userId } = await ctx.registerUser("filter");

    const created = await client.createFilter(LAZY_TIMELINE);
    assert.equal(typeof created.filterId, "string");
    assert.ok(!created.filterId.startsWith("{"), `filter_id must not start with '{': ${created.filterId}`);

    const fetched = await client.getFilter(userId, created.filterId, false);
    assert.deepEqual(fetched.getDefinition(), LAZY_TIMELINE);
});

hs.scenario("filters: 403 M_FORBIDDEN for another user, 400 for bad filters, 404 M_NOT_FOUND when unknown", async (ctx) => {
    const alice = await ctx.registerUser("filteralice");
    const bob = await ctx.registerUser("filterbob");
    const token = alice.response.access_token;

    const other = await ctx.request("POST", filterPath(bob.userId), { accessToken: token, body: {} });
    assert.equal(other.status, 403);
    assert.equal(other.body.errcode, "M_FORBIDDEN");

    const wrongType = await ctx.request("POST", filterPath(alice.userId), {
        accessToken: token,
        body: { room: { timeline: { limit: "20" } } },
    });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.errcode, "M_BAD_JSON");

    const badFormat = await ctx.request("POST", filterPath(alice.userId), {
        accessToken: token,
        body: { event_format: "xml" },
    });
    assert.equal(badFormat.status, 400);
    assert.equal(badFormat.body.errcode, "M_INVALID_PARAM");

    const bobs = await bob.client.createFilter({});
    const notMine = await ctx.request("GET", filterPath(alice.userId, bobs.filterId), { accessToken: token });
    assert.equal(notMine.status, 404);
    assert.equal(notMine.body.errcode, "M_NOT_FOUND");
    const unknown = await ctx.request("GET", filterPath(alice.userId, "987654321"), { accessToken: token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.errcode, "M_NOT_FOUND");
});
