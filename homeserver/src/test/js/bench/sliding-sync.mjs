// Benchmark (not a test; nothing under test/ imports it, `npm test` and `mvn verify` never run it): simplified
// sliding sync (MSC4186) on the packaged jar, for an account in BENCH_ROOMS (1000) rooms. Run it through
// homeserver/bench/sliding-sync.sh (prerequisites there); results and their reading: docs/performance.md.
//
//   first response  a new connection asking for the 20 most recent rooms with timeline_limit 1 and the
//                   required_state Element X's room list asks for: wall time on loopback and the server's
//                   computation time (myelin_sliding_sync_computation_seconds), BENCH_FIRST (20) times after
//                   BENCH_WARMUP (30) warm-up requests, plus the very first (cold) one
//   live update     that connection long-polls; one message in one room; the time from the send's 200 to the
//                   poll's answer and the server's computation time of the wake, BENCH_LIVE (20) times, for a room
//                   already in the window and for one that the message lifts into it
//   baseline        the same account through /sync, in the same run: an initial /sync with timeline limit 1 and
//                   lazy members (what a client without sliding sync loads first), BENCH_BASELINE (3) times after
//                   one warm-up, and a long-poll /sync answering one message in one room, BENCH_LIVE times (wall
//                   time only: /sync has no computation timer)
//
// The database is ANALYZEd after seeding (lib/bench.mjs analyze()).
// BENCH_HOLD_S (0) keeps the seeded server up that long at the end, for inspection (psql, jcmd).
// Loopback only; every request has a timeout; the server and its database are removed at the end.

import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { analyze, benchClient, fmt, startBenchServer, stats } from "../lib/bench.mjs";

const ROOMS = Number(process.env.BENCH_ROOMS ?? 1000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const FIRST = Number(process.env.BENCH_FIRST ?? 20);
const LIVE = Number(process.env.BENCH_LIVE ?? 20);
const BASELINE = Number(process.env.BENCH_BASELINE ?? 3);
const SYNC_FILTER = JSON.stringify({ room: { timeline: { limit: 1 }, state: { lazy_load_members: true } } });
/** Seconds to keep the seeded server up at the end, to inspect it (psql, jcmd); 0 by default. */
const HOLD_S = Number(process.env.BENCH_HOLD_S ?? 0);
const SEED_WIDTH = 16;
const PATH = "/_matrix/client/unstable/org.matrix.simplified_msc3575/sync";
const WINDOW = 20;
/** Element X's room list (matrix-rust-sdk's RoomListService): the state a room tile needs, no spaces. */
const LIST = {
    ranges: [[0, WINDOW - 1]],
    timeline_limit: 1,
    required_state: [
        ["m.room.name", ""], ["m.room.encryption", ""], ["m.room.member", "$LAZY"], ["m.room.member", "$ME"],
        ["m.room.topic", ""], ["m.room.canonical_alias", ""], ["m.room.power_levels", ""],
        ["org.matrix.msc3401.call.member", "*"], ["m.room.join_rules", ""], ["m.room.tombstone", ""],
        ["m.room.create", ""], ["m.room.history_visibility", ""], ["m.beacon_info", "*"],
        ["m.room.pinned_events", ""],
    ],
    filters: { not_room_types: ["m.space"] },
};
const EXTENSIONS = { to_device: { enabled: true }, e2ee: { enabled: true }, account_data: { enabled: true },
    receipts: { enabled: true }, typing: { enabled: true } };

let server;
let call;
let account;
const runId = randomBytes(3).toString("hex");



function send(user, roomId, text) {
    return call("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/` +
        randomBytes(8).toString("hex"), { token: user.token, body: { msgtype: "m.text", body: text } });
}

/** The server's computation timer: [count, sum in ms]. */
async function computations() {
    const text = await (await fetch(`${server.managementUrl}/actuator/prometheus`,
        { signal: AbortSignal.timeout(10_000) })).text();
    const value = (name) => metric(text, name);
    return [value("myelin_sliding_sync_computation_seconds_count"),
        value("myelin_sliding_sync_computation_seconds_sum") * 1000];
}

async function parkedPolls() {
    const text = await (await fetch(`${server.managementUrl}/actuator/prometheus`,
        { signal: AbortSignal.timeout(10_000) })).text();
    return metric(text, "myelin_sync_polls_parked");
}

/** A Prometheus sample's value (with or without labels), 0 when absent. */
function metric(text, name) {
    return Number(text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m"))?.[1] ?? 0);
}

async function untilParked(parkedBefore) {
    for (let i = 0; i < 2000; i++) {
        if (await parkedPolls() > parkedBefore) return;
        await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("the poll was never parked");
}



/** One new connection's first response; wall ms, server ms, bytes, rooms sent. */
async function firstResponse(owner, connId) {
    const [c0, s0] = await computations();
    const t0 = performance.now();
    const res = await call("POST", PATH, { token: owner.token, body: { conn_id: connId, lists: { all: LIST },
        extensions: EXTENSIONS } });
    const [c1, s1] = await computations();
    if (c1 - c0 !== 1) throw new Error(`expected one computation, saw ${c1 - c0}`);
    return { wall: res.at - t0, server: s1 - s0, bytes: res.bytes, rooms: Object.keys(res.body.rooms).length,
        count: res.body.lists.all.count, pos: res.body.pos };
}

/** One live update: park a poll at `pos`, send in `roomId`, time the answer. */
async function liveUpdate(owner, sender, pos, roomId, connId) {
    const parkedBefore = await parkedPolls();
    const poll = call("POST", `${PATH}?pos=${encodeURIComponent(pos)}&timeout=30000`, { token: owner.token,
        timeoutMs: 40_000, body: { conn_id: connId, lists: { all: LIST }, extensions: EXTENSIONS } });
    await untilParked(parkedBefore);
    const [c0, s0] = await computations();
    const sent = await send(sender, roomId, `live ${randomBytes(3).toString("hex")}`);
    const res = await poll;
    const [c1, s1] = await computations();
    const room = res.body.rooms[roomId];
    if (!room?.timeline?.some((e) => e.event_id === sent.body.event_id)) {
        // e.g. the unread counts of the previous message, landing after its answer: that is not this update.
        console.error(`# a poll answered without the message, retrying: ${JSON.stringify(res.body).slice(0, 200)}`);
        return liveUpdate(owner, sender, res.body.pos, roomId, connId);
    }
    return { wall: res.at - sent.at, server: s1 - s0, wakes: c1 - c0, bytes: res.bytes, pos: res.body.pos,
        initial: room.initial === true };
}

function syncPath(since, timeout) {
    return `/_matrix/client/v3/sync?set_presence=offline&timeout=${timeout}&filter=${encodeURIComponent(SYNC_FILTER)}` +
        (since ? `&since=${encodeURIComponent(since)}` : "");
}

/** Baseline: one initial /sync of the account; wall ms, bytes, rooms. */
async function initialSync(owner) {
    const t0 = performance.now();
    const res = await call("GET", syncPath(null, 0), { token: owner.token, timeoutMs: 300_000 });
    return { wall: res.at - t0, server: NaN, bytes: res.bytes, rooms: Object.keys(res.body.rooms?.join ?? {}).length,
        since: res.body.next_batch };
}

/** Baseline: a /sync long-poll from `since` answering one message in `roomId`. */
async function liveSync(owner, sender, since, roomId) {
    const parkedBefore = await parkedPolls();
    const poll = call("GET", syncPath(since, 30_000), { token: owner.token, timeoutMs: 40_000 });
    await untilParked(parkedBefore);
    const sent = await send(sender, roomId, `live ${randomBytes(3).toString("hex")}`);
    let res = await poll;
    // A first answer may carry what the send caused besides the message (e.g. unread counts landing later).
    while (!res.body.rooms?.join?.[roomId]?.timeline?.events?.some((e) => e.event_id === sent.body.event_id)) {
        res = await call("GET", syncPath(res.body.next_batch, 30_000), { token: owner.token, timeoutMs: 40_000 });
    }
    return { wall: res.at - sent.at, server: NaN, bytes: res.bytes, since: res.body.next_batch };
}


async function main() {
    server = await startBenchServer();
    ({ call, account } = benchClient(server));
    const t00 = performance.now();
    try {
        const owner = await account("owner");
        const sender = await account("sender");
        console.error(`# seeding: ${ROOMS} rooms (createRoom with name and topic, one message), ${SEED_WIDTH} at a time`);
        const rooms = new Array(ROOMS);
        let next = 0;
        await Promise.all(Array.from({ length: SEED_WIDTH }, async () => {
            while (next < ROOMS) {
                const i = next++;
                const { body } = await call("POST", "/_matrix/client/v3/createRoom", { token: owner.token, body: {
                    preset: "public_chat", name: `room ${i}`, topic: `topic of room ${i}`,
                    creation_content: { "org.myelin.bench.nonce": `${runId}-${i}` } } });
                await send(owner, body.room_id, `seed ${i}`);
                rooms[i] = body.room_id;
            }
        }));
        // The sender is in every room the live updates write to: the newest (in the window) and the oldest.
        const inWindow = rooms[rooms.length - 1];
        const outside = [];
        for (let i = 0; i < LIVE; i++) outside.push(rooms[i]);
        for (const roomId of [inWindow, ...outside]) {
            await call("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: sender.token, body: {} });
        }
        await send(owner, inWindow, "the newest room");
        await analyze(server);
        console.error(`# seeded in ${fmt((performance.now() - t00) / 1000)} s`);

        const cold = await firstResponse(owner, "cold");
        console.error(`# cold first response: ${fmt(cold.wall)} ms (server ${fmt(cold.server)} ms), ${cold.rooms} rooms`);
        for (let i = 0; i < WARMUP; i++) await firstResponse(owner, `warm-${i % 5}`);
        const firsts = [];
        for (let i = 0; i < FIRST; i++) firsts.push(await firstResponse(owner, `first-${i % 5}`));
        console.error(`# first responses: ${JSON.stringify(stats(firsts.map((f) => f.wall)))}`);

        let pos = firsts[firsts.length - 1].pos;
        const connId = `first-${(FIRST - 1) % 5}`;
        const live = [];
        for (let i = 0; i < LIVE; i++) {
            const r = await liveUpdate(owner, sender, pos, inWindow, connId);
            live.push(r);
            pos = r.pos;
        }
        console.error(`# live updates in the window: ${JSON.stringify(stats(live.map((l) => l.wall)))}`);
        const lifted = [];
        for (const roomId of outside) {
            const r = await liveUpdate(owner, sender, pos, roomId, connId);
            lifted.push(r);
            pos = r.pos;
        }
        console.error(`# live updates lifting a room into the window: ${JSON.stringify(stats(lifted.map((l) => l.wall)))}`);

        const syncs = [];
        const syncLive = [];
        let since = BASELINE > 0 ? (await initialSync(owner)).since : null;
        for (let i = 0; i < BASELINE; i++) syncs.push(await initialSync(owner));
        if (BASELINE > 0) since = syncs[syncs.length - 1].since;
        console.error(`# baseline initial /sync: ${JSON.stringify(stats(syncs.map((f) => f.wall)))}`);
        for (let i = 0; BASELINE > 0 && i < LIVE; i++) {
            const r = await liveSync(owner, sender, since, inWindow);
            syncLive.push(r);
            since = r.since;
        }
        console.error(`# baseline live /sync: ${JSON.stringify(stats(syncLive.map((l) => l.wall)))}`);
        report({ cold, firsts, live, lifted, syncs, syncLive, total: (performance.now() - t00) / 1000 });
        if (HOLD_S > 0) {
            console.error(`# holding ${server.baseUrl} (token ${owner.token}) for ${HOLD_S} s`);
            await new Promise((r) => setTimeout(r, HOLD_S * 1000));
        }
    } finally {
        await server.stop();
    }
}

function report({ cold, firsts, live, lifted, syncs, syncLive, total }) {
    const row = (what, list, extra = "") => {
        const wall = stats(list.map((x) => x.wall));
        const srv = stats(list.map((x) => x.server));
        const bytes = stats(list.map((x) => x.bytes));
        return `| ${what} | ${wall.n} | ${fmt(wall.p50)} | ${fmt(wall.p90)} | ${fmt(wall.max)} | ${fmt(srv.p50)} | ` +
            `${fmt(srv.p90)} | ${fmt(srv.max)} | ${bytes.p50} |${extra}`;
    };
    const lines = [
        `Sliding sync, one account in ${ROOMS} rooms, window of ${WINDOW} rooms with timeline_limit 1; ` +
            `${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the end; ` +
            `run ${fmt(total)} s.`,
        "",
        "| what | runs | wall p50 ms | wall p90 ms | wall max ms | server p50 ms | server p90 ms | server max ms | bytes p50 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
        row("first response, cold JVM", [cold]),
        row("first response (new connection), warm", firsts),
        row("live update, message in a room of the window", live),
        row("live update, message lifting a room into the window", lifted),
        ...(syncs.length === 0 ? [] : [
            row(`baseline: initial /sync (timeline limit 1, lazy members, ${syncs[0].rooms} rooms), warm`, syncs),
            row("baseline: /sync long-poll answering one message", syncLive)]),
        "",
        `Rooms sent in a first response: ${firsts[0].rooms} of ${firsts[0].count}; computations per wake: ` +
            `${[...new Set(live.map((l) => l.wakes))].join(", ")}; lifted rooms sent as initial: ` +
            `${lifted.filter((l) => l.initial).length} of ${lifted.length}.`,
    ];
    console.log(lines.join("\n"));
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
