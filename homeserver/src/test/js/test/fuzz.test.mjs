// Malformed requests against every client-server operation of the spec (lib/fuzz.mjs makes
// them): ~2,500 requests, deterministic for a seed (MYELIN_FUZZ_SEED, printed), 4 at a time over
// kept-alive connections. Every answer must come within 10 s, be below 500, and every 4xx must be
// a JSON Matrix error (an M_* errcode, no stack trace, no long echo of the input in `error`).
// All failures are collected, grouped and reported at the end. Afterwards the server must still
// work for a normal client.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";
import {
    DEFAULT_SEED,
    FuzzClient,
    SESSION_ENDING,
    buildRequests,
    checkResponse,
    formatRepro,
    listOperations,
    sendRaw,
} from "../lib/fuzz.mjs";

const hs = useHomeserver();
const SEED = process.env.MYELIN_FUZZ_SEED ? Number(process.env.MYELIN_FUZZ_SEED) : DEFAULT_SEED;
const CONCURRENCY = 4;
const EXAMPLES_PER_GROUP = 3;

function ok(res, what) {
    assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
}

async function login(ctx, username, password) {
    return ok(
        await ctx.request("POST", "/_matrix/client/v3/login", {
            body: { type: "m.login.password", identifier: { type: "m.id.user", user: username }, password },
        }),
        "login",
    );
}

/** A fuzz user with a room, an event, a filter, an alias and a piece of media; a victim user's sessions. */
async function setUp(ctx) {
    const main = await ctx.registerUser("fuzz");
    const token = main.response.access_token;
    const room = ok(
        await ctx.request("POST", "/_matrix/client/v3/createRoom", { accessToken: token, body: { preset: "public_chat", name: "fuzz" } }),
        "createRoom",
    );
    const roomId = room.room_id;
    const sent = ok(
        await ctx.request("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/setup1`, {
            accessToken: token,
            body: { msgtype: "m.text", body: "before the fuzz" },
        }),
        "send",
    );
    const filter = ok(
        await ctx.request("POST", `/_matrix/client/v3/user/${encodeURIComponent(main.userId)}/filter`, {
            accessToken: token,
            body: { room: { timeline: { limit: 5 } } },
        }),
        "filter",
    );
    const roomAlias = `#${main.username}:${hs.serverName}`;
    ok(
        await ctx.request("PUT", `/_matrix/client/v3/directory/room/${encodeURIComponent(roomAlias)}`, {
            accessToken: token,
            body: { room_id: roomId },
        }),
        "alias",
    );
    const upload = await fetch(`${hs.baseUrl}/_matrix/media/v3/upload?filename=fuzz.txt`, {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "text/plain" },
        body: "fuzz media",
        signal: AbortSignal.timeout(10_000),
    });
    const uploaded = await upload.json().catch(() => ({}));
    // A server without a media repository (404 M_UNRECOGNIZED) gets a made-up media ID.
    const [, serverName, mediaId] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(uploaded.content_uri ?? "") ?? [null, hs.serverName, "fuzzmedia"];

    // The operations that end a session (logout, deactivate, ...) get a victim's sessions, one each.
    const victim = await ctx.registerUser("fuzzvictim");
    const sessionTokens = [];
    const sessionDevices = [];
    for (let i = 0; i < SESSION_ENDING.size; i++) {
        const s = i === 0 ? victim.response : await login(ctx, victim.username, victim.password);
        sessionTokens.push(s.access_token);
        sessionDevices.push(s.device_id);
    }
    return {
        token,
        sessionTokens,
        ids: {
            userId: main.userId,
            deviceId: main.response.device_id,
            roomId,
            eventId: sent.event_id,
            filterId: filter.filter_id,
            roomAlias,
            serverName,
            mediaId,
            sessionDevices,
        },
    };
}

async function runPool(items, concurrency, fn) {
    let next = 0;
    const workers = Array.from({ length: concurrency }, async () => {
        while (next < items.length) {
            const item = items[next++];
            await fn(item);
        }
    });
    await Promise.all(workers);
}

hs.scenario(`every operation answers malformed requests with a JSON 4xx (seed ${SEED})`, async (ctx, t) => {
    console.error(`# fuzz seed ${SEED} (rerun with MYELIN_FUZZ_SEED=${SEED})`);
    const { token, sessionTokens, ids } = await setUp(ctx);
    const ops = listOperations(hs.spec);
    const requests = buildRequests(ops, ids, SEED);
    const client = new FuzzClient(hs.baseUrl, { concurrency: CONCURRENCY });
    const failures = [];
    const statuses = new Map();
    let refused = 0;
    const started = Date.now();
    const handle = async (req) => {
        const tok = req.tokenSlot === null ? token : sessionTokens[req.tokenSlot];
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v).replaceAll("__TOKEN__", tok)]));
        const res = await client.send(req, headers);
        if (res.clientRefused) refused++;
        statuses.set(res.status ?? "none", (statuses.get(res.status ?? "none") ?? 0) + 1);
        const problems = checkResponse(req, headers, res);
        if (problems.length && (res.timedOut || res.error)) {
            // Was it the connection or the request? Send it again, alone, on a fresh socket.
            res.raw = await sendRaw(hs.baseUrl, req, headers);
        }
        for (const p of problems) failures.push({ ...p, req, headers, res });
    };
    try {
        for (const phase of [1, 2]) await runPool(requests.filter((r) => r.phase === phase), CONCURRENCY, handle);
        // Session-ending operations: one at a time, each on its own session.
        for (const req of requests.filter((r) => r.phase === 3)) await handle(req);
    } finally {
        client.close();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary =
        `${requests.length} requests over ${ops.length} operations in ${seconds} s (seed ${SEED}); statuses ` +
        [...statuses].sort().map(([s, n]) => `${s}×${n}`).join(" ") +
        (refused ? `; ${refused} not sendable by node:http` : "");
    t.diagnostic(summary);
    console.error(`# fuzz: ${summary}`);

    if (failures.length) {
        const groups = new Map();
        for (const f of failures) {
            const key = `${f.kind} [${f.req.kind}: ${f.req.family}]`;
            if (!groups.has(key)) groups.set(key, []);
            groups.get(key).push(f);
        }
        const text = [...groups]
            .sort((a, b) => b[1].length - a[1].length)
            .map(([key, list]) => {
                const opsHit = new Set(list.map((f) => f.req.op.operationId));
                const examples = list
                    .slice(0, EXAMPLES_PER_GROUP)
                    .map((f) => `  - ${f.detail}\n    ${formatRepro(f.req, f.headers, f.res, SEED).replaceAll("\n", "\n    ")}`);
                return `${list.length}× ${key} (${opsHit.size} operations)\n${examples.join("\n")}`;
            })
            .join("\n");
        assert.fail(`${failures.length} problems in ${groups.size} groups (seed ${SEED}, ${summary}):\n${text}`);
    }
});

hs.scenario("after the fuzz the server still answers /versions and a client can register, send and sync", async (ctx) => {
    const versions = await ctx.request("GET", "/_matrix/client/versions");
    assert.equal(versions.status, 200);
    const { client, userId } = await ctx.registerUser("afterfuzz");
    const { room_id: roomId } = await client.createRoom({ name: "after the fuzz" });
    const { event_id: eventId } = await client.sendTextMessage(roomId, "still alive");
    const sync = await ctx.request("GET", "/_matrix/client/v3/sync?timeout=0", { accessToken: client.getAccessToken() });
    assert.equal(sync.status, 200, JSON.stringify(sync.body));
    const timeline = sync.body.rooms?.join?.[roomId]?.timeline?.events ?? [];
    assert.ok(
        timeline.some((e) => e.event_id === eventId && e.sender === userId),
        `the message ${eventId} is not in ${userId}'s sync: ${JSON.stringify(timeline.map((e) => e.event_id))}`,
    );
});
