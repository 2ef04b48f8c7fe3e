// Benchmark (not a test; nothing under test/ imports it, `npm test` and `mvn verify` never run it): what device-list
// tracking costs an incremental GET /_matrix/client/v3/sync through HTTP, for a viewer sharing BENCH_ROOMS (50) rooms
// with BENCH_MATES (5000) users, next to the same sync of a loner alone in as many rooms, same server, same run.
// Run it through homeserver/bench/device-lists-sync.sh (prerequisites there); results: docs/performance.md.
//
//   seeding   the viewer's and the loner's BENCH_ROOMS rooms, then BENCH_MATES guest users registered through the
//             API, each joined to one of the viewer's rooms in turn (several rooms rather than one: joins of one
//             room are applied one after the other, and a busy 2-core box then seeds 5,000 in some 25 minutes)
//   phases    each an incremental sync since the same token t0 (taken after seeding), repeated BENCH_SYNCS (200)
//             times after BENCH_WARMUP (20) for the viewer and for the loner, interleaved:
//               none     nothing changed since t0
//               one      one room-mate uploaded device keys since t0
//               all      every room-mate uploaded device keys since t0
//             The database is ANALYZEd before the first phase and before the last, as autovacuum would.
//             Each answer is checked: the viewer's device_lists.changed has exactly the room-mates who changed,
//             the loner's is empty.
//
// BENCH_HOLD_S (0) keeps the seeded server up that long at the end, for inspection (psql, EXPLAIN).
// Loopback only; every request has a timeout; the server and its database are removed at the end.

import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { analyze, benchClient, fmt, startBenchServer, stats, uptime } from "../lib/bench.mjs";

const MATES = Number(process.env.BENCH_MATES ?? 5000);
const SYNCS = Number(process.env.BENCH_SYNCS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const ROOMS = Number(process.env.BENCH_ROOMS ?? 50);
const SEED_WIDTH = 16;
const PROGRESS = Number(process.env.BENCH_PROGRESS ?? 500);
/** Seconds to keep the seeded server up at the end, to inspect it (psql, EXPLAIN); 0 by default. */
const HOLD_S = Number(process.env.BENCH_HOLD_S ?? 0);

let server;
let call;
let account;


/**
 * A guest account (POST /register?kind=guest): no password, so no Argon2 hash, which would make registering 5,000
 * users take minutes; a guest joins a room whose guest_access is can_join and uploads keys like any user, and
 * device-list tracking does not tell the two apart.
 */
async function guest() {
    const { body } = await call("POST", "/_matrix/client/v3/register?kind=guest", { body: {} });
    return { userId: body.user_id, deviceId: body.device_id, token: body.access_token };
}


/** Canonical JSON: keys sorted, no white space (enough for the string-valued objects signed here). */
function canonical(value) {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
        return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

const unpadded = (b64url) => Buffer.from(b64url, "base64url").toString("base64").replace(/=+$/, "");

/** The user's device keys, signed with the device's own ed25519 key as /keys/upload requires. */
function deviceKeys(user) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const ed25519 = unpadded(publicKey.export({ format: "jwk" }).x);
    const keys = { user_id: user.userId, device_id: user.deviceId,
        algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
        keys: { [`curve25519:${user.deviceId}`]: randomBytes(32).toString("base64").replace(/=+$/, ""),
            [`ed25519:${user.deviceId}`]: ed25519 } };
    const signature = sign(null, Buffer.from(canonical(keys)), privateKey).toString("base64").replace(/=+$/, "");
    return { ...keys, signatures: { [user.userId]: { [`ed25519:${user.deviceId}`]: signature } } };
}

async function upload(user) {
    await call("POST", "/_matrix/client/v3/keys/upload", { token: user.token, body: { device_keys: deviceKeys(user) } });
}

/** Runs `task(i)` for i in [0, n), `width` at a time. */
async function parallel(n, width, task) {
    let next = 0;
    await Promise.all(Array.from({ length: width }, async () => {
        while (next < n) await task(next++);
    }));
}


function sync(user, since) {
    return call("GET", `/_matrix/client/v3/sync?since=${encodeURIComponent(since)}&timeout=0&set_presence=offline`,
        { token: user.token });
}

/** SYNCS timed syncs of each (after WARMUP untimed ones), interleaved; checks each answer's changed list. */
async function phase(name, viewer, loner, expectChanged) {
    const times = { viewer: [], loner: [] };
    for (let i = 0; i < WARMUP + SYNCS; i++) {
        for (const [who, user] of [["viewer", viewer], ["loner", loner]]) {
            const t0 = performance.now();
            const { body } = await sync(user, user.since);
            const ms = performance.now() - t0;
            const changed = body.device_lists?.changed ?? [];
            const expected = who === "viewer" ? expectChanged : 0;
            if (changed.length !== expected) {
                throw new Error(`${name}: ${who}'s device_lists.changed has ${changed.length} users, expected ${expected}`);
            }
            if (i >= WARMUP) times[who].push(ms);
        }
    }
    const line = (who) => JSON.stringify(stats(times[who]));
    console.error(`# ${name}: viewer ${line("viewer")}, loner ${line("loner")}`);
    return { name, expectChanged, viewer: stats(times.viewer), loner: stats(times.loner) };
}



async function main() {
    server = await startBenchServer();
    ({ call, account } = benchClient(server));
    const t00 = performance.now();
    try {
        const viewer = await account("viewer");
        const loner = await account("loner");
        console.error(`# seeding: ${ROOMS} rooms each for the viewer and the loner`);
        const rooms = new Array(ROOMS);
        await parallel(ROOMS, SEED_WIDTH, async (i) => {
            rooms[i] = (await call("POST", "/_matrix/client/v3/createRoom", { token: viewer.token, body: {
                preset: "public_chat", initial_state: [{ type: "m.room.guest_access", state_key: "",
                    content: { guest_access: "can_join" } }] } })).body.room_id;
            await call("POST", "/_matrix/client/v3/createRoom", { token: loner.token, body: { preset: "private_chat" } });
        });
        console.error(`# seeding: ${MATES} room-mates (guests) registered and joined, ${MATES / ROOMS} per room, ` +
            `${SEED_WIDTH} at a time`);
        const mates = new Array(MATES);
        const spent = { register: 0, join: 0 };
        await parallel(MATES, SEED_WIDTH, async (i) => {
            const t0 = performance.now();
            mates[i] = await guest();
            const t1 = performance.now();
            await call("POST", `/_matrix/client/v3/join/${encodeURIComponent(rooms[i % ROOMS])}`,
                { token: mates[i].token, body: {} });
            spent.register += t1 - t0;
            spent.join += performance.now() - t1;
            if (i % PROGRESS === PROGRESS - 1) {
                console.error(`#   ${i + 1} joined; mean ms per registration ${fmt(spent.register / (i + 1))}, ` +
                    `per join ${fmt(spent.join / (i + 1))}`);
            }
        });
        const seeded = (performance.now() - t00) / 1000;
        console.error(`# seeded in ${fmt(seeded)} s`);
        for (const user of [viewer, loner]) {
            user.since = (await call("GET", "/_matrix/client/v3/sync?timeout=0&set_presence=offline&filter=" +
                encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 1 } } })), { token: user.token,
                timeoutMs: 300_000 })).body.next_batch;
        }
        await analyze(server);
        const loadStart = uptime();
        const phases = [await phase("none", viewer, loner, 0)];
        await upload(mates[0]);
        phases.push(await phase("one", viewer, loner, 1));
        console.error(`# every other room-mate uploads device keys, ${SEED_WIDTH} at a time`);
        await parallel(MATES - 1, SEED_WIDTH, (i) => upload(mates[i + 1]));
        await analyze(server);
        phases.push(await phase("all", viewer, loner, MATES));
        const loadEnd = uptime();
        report({ phases, seeded, loadStart, loadEnd, total: (performance.now() - t00) / 1000 });
        if (HOLD_S > 0) {
            console.error(`# holding ${server.baseUrl} for ${HOLD_S} s: viewer ${viewer.userId} since ${viewer.since}, ` +
                `loner ${loner.userId} since ${loner.since}`);
            await new Promise((r) => setTimeout(r, HOLD_S * 1000));
        }
    } finally {
        await server.stop();
    }
}

function report({ phases, seeded, loadStart, loadEnd, total }) {
    const what = { none: "nothing changed since `since`", one: "1 room-mate's device keys changed since `since`",
        all: `all ${MATES} room-mates' device keys changed since \`since\`` };
    const lines = [
        `Incremental /sync (timeout=0, since the same token each time), ${SYNCS} timed after ${WARMUP} warm-up, ` +
            `viewer and loner interleaved; ${os.cpus().length} cores (${os.cpus()[0].model}); run ${fmt(total)} s ` +
            `(seeding ${fmt(seeded)} s).`,
        "",
        `uptime at the first measured sync: ${loadStart}`,
        `uptime at the last: ${loadEnd}`,
        "",
        "| pending device-list changes | users in changed | viewer p50 ms | viewer p99 ms | viewer max ms | " +
            "loner (baseline) p50 ms | loner p99 ms | loner max ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
        ...phases.map((p) => `| ${what[p.name]} | ${p.expectChanged} | ${fmt(p.viewer.p50)} | ${fmt(p.viewer.p99)} | ` +
            `${fmt(p.viewer.max)} | ${fmt(p.loner.p50)} | ${fmt(p.loner.p99)} | ${fmt(p.loner.max)} |`),
    ];
    console.log(lines.join("\n"));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
