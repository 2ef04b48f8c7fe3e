// Benchmark (not a test; nothing under test/ imports it, `npm test` and `mvn verify` never run it):
// GET /_matrix/client/v3/sync on the packaged jar. Run it through homeserver/bench/sync-fanout.sh (README there).
//
//   floor     GET /_matrix/client/versions, 64 concurrent keep-alive closed loops (wrk if on PATH, and Node)
//   fan-out   N idle long-polls (GET /sync?since=…&timeout=…) from N distinct users joined to one room; one sender
//             posts a message; per poll: time from the send's 200 to that poll's response; heap per parked poll,
//             JVM and PostgreSQL CPU per wake; repeated BENCH_SENDS times, re-arming with each poll's next_batch
//   initial   one user in BENCH_ROOMS rooms (created through the API, one message each): a full initial /sync,
//             time and bytes, repeated 3 times; then BENCH_INCREMENTAL incremental syncs of that account, one room
//             changed before each; a last table puts each figure next to its target (the sync-at-scale issue)
//
// Everything is bounded (counts from the environment, every request has a timeout), loopback only.

import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { cpuSeconds, rssMiB } from "../lib/bench.mjs";
import { startServer } from "../lib/server.mjs";

const SENDS = Number(process.env.BENCH_SENDS ?? 5);
/** "N" or "N:sends" per level; the largest level sends fewer messages by default, as each wake costs seconds. */
const LEVEL_SENDS = new Map((process.env.BENCH_POLLS ?? "1,1000,5000:3").split(",").map((s) => s.split(":").map(Number))
    .filter(([n]) => n > 0).map(([n, sends]) => [n, sends > 0 ? sends : SENDS]));
const LEVELS = [...LEVEL_SENDS.keys()];
const ROOMS = Number(process.env.BENCH_ROOMS ?? 1000);
/** Incremental syncs of the big account, one room changed before each. */
const INCREMENTAL = Number(process.env.BENCH_INCREMENTAL ?? 20);
const FLOOR_SECONDS = Number(process.env.BENCH_FLOOR_SECONDS ?? 20);
const FLOOR_CONNECTIONS = Number(process.env.BENCH_FLOOR_CONNECTIONS ?? 64);
/** Concurrent registrations / joins / room creations while seeding. */
const SEED_WIDTH = Number(process.env.BENCH_SEED_WIDTH ?? 16);
/** The long-poll timeout the parked polls ask for; a wake must come long before it. */
const POLL_TIMEOUT_MS = 300_000;
/** Every response must carry the sent event; lazy-loaded members, as clients ask. */
/**
 * The polls' set_presence. "offline" leaves presence alone, so the polls measure the message fan-out only; with
 * "online" (what clients send by default) every user's first sync writes presence, which wakes every other poll.
 */
const SET_PRESENCE = process.env.BENCH_SET_PRESENCE ?? "offline";
const FILTER = JSON.stringify({ room: { timeline: { limit: 10 }, state: { lazy_load_members: true } } });
const BODY = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore " +
    "et dolore magna aliqua.";

const dbUrl = new URL(process.env.MYELIN_TEST_DB_URL ?? "postgresql://postgres@127.0.0.1:5432");
const dbServer = {
    host: dbUrl.hostname,
    port: Number(dbUrl.port || 5432),
    user: decodeURIComponent(dbUrl.username || "postgres"),
    password: decodeURIComponent(dbUrl.password) || undefined,
};

// ---------------------------------------------------------------- measurement helpers

function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}

function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

function median(values) {
    return percentile([...values].sort((a, b) => a - b), 0.5);
}

function machineTicks() {
    const [, ...v] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    const n = v.map(Number);
    const idle = n[3] + n[4];
    return { busy: n.reduce((a, b) => a + b, 0) - idle, total: n.reduce((a, b) => a + b, 0) };
}

/** Heap used after a full GC (jcmd GC.run, then GC.heap_info), in MiB; null without jcmd. */
function heapAfterGc(pid) {
    try {
        execFileSync("jcmd", [String(pid), "GC.run"], { encoding: "utf8", timeout: 60_000 });
        const out = execFileSync("jcmd", [String(pid), "GC.heap_info"], { encoding: "utf8", timeout: 60_000 });
        const m = out.match(/heap\s+total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K/);
        return m ? { committed: Number(m[1]) / 1024, used: Number(m[2]) / 1024 } : null;
    } catch {
        return null;
    }
}

/** CPU seconds of the JVM, of the PostgreSQL backends of its database, of this process and of the machine. */
class CpuProbe {
    constructor(javaPid, pgPids) {
        this.javaPid = javaPid;
        this.pgPids = pgPids;
        this.t0 = performance.now();
        this.java0 = cpuSeconds(javaPid);
        this.pg0 = new Map(pgPids.map((p) => [p, cpuSeconds(p)]));
        this.self0 = process.cpuUsage();
        this.m0 = machineTicks();
    }

    read() {
        let pgCpu = 0;
        for (const [p, before] of this.pg0) {
            const after = cpuSeconds(p);
            if (before !== null && after !== null) pgCpu += after - before;
        }
        const self = process.cpuUsage(this.self0);
        const m1 = machineTicks();
        return {
            wall: (performance.now() - this.t0) / 1000,
            java: cpuSeconds(this.javaPid) - this.java0,
            pg: pgCpu,
            client: (self.user + self.system) / 1e6,
            machineBusy: (m1.busy - this.m0.busy) / Math.max(1, m1.total - this.m0.total),
        };
    }
}

// ---------------------------------------------------------------- HTTP (keep-alive, loopback)

let base;

function call(agent, method, pathname, { token, body, timeoutMs = 60_000, headers: extra = {}, raw = false } = {}) {
    return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const headers = { Accept: "application/json", ...extra };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (payload) {
            headers["Content-Type"] = "application/json";
            headers["Content-Length"] = payload.length;
        }
        const req = http.request(
            { host: base.hostname, port: base.port, method, path: pathname, agent, headers, timeout: timeoutMs },
            (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const at = performance.now();
                    const buf = Buffer.concat(chunks);
                    if (raw) return resolve({ status: res.statusCode, headers: res.headers, buf, at });
                    let parsed = buf.toString("utf8");
                    try {
                        parsed = JSON.parse(parsed);
                    } catch {
                        // left as text
                    }
                    resolve({ status: res.statusCode, body: parsed, bytes: buf.length, at });
                });
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${pathname.slice(0, 80)}: no answer in ${timeoutMs} ms`)));
        req.on("error", reject);
        req.end(payload);
    });
}

function expectOk(res, what) {
    if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
}

/** Runs fn(i) for i < n, `width` at a time; resolves to the results in order. */
async function inBatches(n, width, fn) {
    const out = new Array(n);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(width, n) }, async () => {
            while (next < n) {
                const i = next++;
                out[i] = await fn(i);
            }
        }),
    );
    return out;
}

const runId = randomBytes(3).toString("hex");

async function register(agent, localpart) {
    const password = randomBytes(12).toString("hex");
    const challenge = await call(agent, "POST", "/_matrix/client/v3/register", { body: { username: localpart, password } });
    if (challenge.status !== 401) throw new Error(`register challenge: HTTP ${challenge.status} ${JSON.stringify(challenge.body)}`);
    const auth = { type: "m.login.dummy", session: challenge.body.session };
    const res = await call(agent, "POST", "/_matrix/client/v3/register", {
        body: { username: localpart, password, auth, initial_device_display_name: "bench" },
    });
    const b = expectOk(res, "register");
    return { userId: b.user_id, token: b.access_token };
}

async function send(agent, user, roomId, txn, text = BODY) {
    const res = await call(agent, "PUT",
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`,
        { token: user.token, body: { msgtype: "m.text", body: text } });
    return expectOk(res, "send").event_id;
}

// ---------------------------------------------------------------- floor: GET /versions

function wrkFloor() {
    const which = spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" });
    if (which.status !== 0) return null;
    const out = execFileSync("wrk", ["-t2", `-c${FLOOR_CONNECTIONS}`, `-d${FLOOR_SECONDS}s`, "--latency",
        `${base.origin}/_matrix/client/versions`], { encoding: "utf8", timeout: (FLOOR_SECONDS + 30) * 1000 });
    const ms = (s) => {
        const m = s.match(/([\d.]+)(us|ms|s)\b/);
        return !m ? NaN : Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
    };
    const errors = out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? "0";
    const socketErrors = out.match(/Socket errors: (.*)/)?.[1];
    return {
        rate: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]),
        ok: Number(out.match(/(\d+) requests in/)?.[1]) - Number(errors),
        p50: ms(out.match(/50%\s+(\S+)/)?.[1] ?? ""),
        p99: ms(out.match(/99%\s+(\S+)/)?.[1] ?? ""),
        errors: Number(errors) ? `${errors} non-2xx` : socketErrors ? `socket errors: ${socketErrors}` : "",
    };
}

async function nodeFloor(seconds) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: FLOOR_CONNECTIONS });
    const latencies = [];
    let failed = 0;
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    await Promise.all(Array.from({ length: FLOOR_CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
            const s = performance.now();
            const res = await call(agent, "GET", "/_matrix/client/versions", { timeoutMs: 10_000 });
            if (res.status === 200) latencies.push(res.at - s);
            else failed++;
        }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return {
        rate: latencies.length / elapsed, ok: latencies.length, p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99), errors: failed ? `${failed} non-200` : "",
    };
}

async function measured(javaPid, pgPids, fn) {
    const probe = new CpuProbe(javaPid, pgPids);
    const r = await fn();
    const cpu = probe.read();
    return { ...r, cpu };
}

// ---------------------------------------------------------------- fan-out

/**
 * One parked poll: GET /sync?since=…&timeout=… for one user, resolving to its response (or an error).
 */
function poll(agent, user, since) {
    const q = `since=${encodeURIComponent(since)}&timeout=${POLL_TIMEOUT_MS}&filter=${encodeURIComponent(FILTER)}` +
        `&set_presence=${SET_PRESENCE}`;
    return call(agent, "GET", `/_matrix/client/v3/sync?${q}`, { token: user.token, timeoutMs: POLL_TIMEOUT_MS + 60_000 })
        .catch((e) => ({ status: 0, error: e.message, at: performance.now() }));
}

/** The events stream's position in a token such as "s…~events-5016~…" (NaN if absent). */
function eventsPosition(token) {
    return Number(/(?:^s|~)events-(\d+)/.exec(token ?? "")?.[1]);
}

function hasEvent(body, roomId, eventId) {
    return !!body?.rooms?.join?.[roomId]?.timeline?.events?.some((e) => e.event_id === eventId);
}

/** Polls armed at once before waiting for the server to go idle: each first computation holds pool connections. */
const WAVE = Number(process.env.BENCH_ARM_WAVE ?? 500);
/** Seconds to hold every level's polls parked before the first send (0: none), to inspect the JVM meanwhile. */
const PARKED_PAUSE_S = Number(process.env.BENCH_PARKED_PAUSE_S ?? 0);

/**
 * Arms a poll for every user, WAVE at a time, and waits until all are parked: a poll that answers before anything
 * was sent (some stream moved, or an error) is re-armed with its next_batch, until no poll has answered for
 * `quietMs` and the JVM and its PostgreSQL backends have been idle (under 0.15 cores) for a second, i.e. every
 * poll's first computation is done and it waits for a wake-up. Errors while arming are counted and re-armed after
 * a second; more errors than polls abandons the level.
 */
async function armAll(agent, users, tokens, javaPid, pgPids, quietMs = 3000, limitMs = 240_000) {
    const pending = new Array(users.length);
    let lastAnswer = performance.now();
    let early = 0;
    const failures = [];
    const arm = (i) => {
        const p = poll(agent, users[i], tokens[i]).then(async (res) => {
            if (pending[i]?.promise !== p) return res;
            if (!pending[i].armed) return res; // measured elsewhere
            lastAnswer = performance.now();
            early++;
            if (early === 1) console.error(`#   first early answer: ${JSON.stringify(res.body ?? res.error).slice(0, 400)}`);
            if (res.status === 200) {
                tokens[i] = res.body.next_batch;
            } else {
                failures.push(`${res.status} ${res.body?.errcode ?? res.error ?? ""}`);
                if (failures.length === 1) console.error(`#   first error while arming: ${res.status} ${JSON.stringify(res.body ?? res.error).slice(0, 300)}`);
                await sleep(1000);
            }
            if (pending[i].armed) arm(i);
            return res;
        });
        pending[i] = { promise: p, armed: true };
    };
    // Busy means the JVM or its database backends (a computation may be waiting on PostgreSQL, not on Java).
    const serverCpu = () => cpuSeconds(javaPid) + pgPids.reduce((a, p) => a + (cpuSeconds(p) ?? 0), 0);
    const started = performance.now();
    for (let from = 0; from < users.length; from += WAVE) {
        for (let i = from; i < Math.min(users.length, from + WAVE); i++) arm(i);
        const waveStart = performance.now();
        let cpu = serverCpu();
        let idleSince = null;
        for (let tick = 1; ; tick++) {
            await sleep(500);
            const now = performance.now();
            const c = serverCpu();
            if (c - cpu < 0.075) idleSince ??= now;
            else idleSince = null;
            cpu = c;
            if (now - lastAnswer >= quietMs && idleSince !== null && now - idleSince >= 1000) break;
            if (tick % 20 === 0) {
                console.error(`#   arming ${Math.min(users.length, from + WAVE)} of ${users.length} polls: ` +
                    `${fmt((now - started) / 1000, 0)} s, ${early} early answers, ${failures.length} errors`);
            }
            if (now - waveStart > limitMs) throw new Error(`polls did not settle in ${limitMs} ms`);
            if (failures.length > users.length) throw new Error(`polls failing while arming: ${failures.slice(0, 5).join("; ")}`);
        }
    }
    return { pending, early, failures, settleMs: performance.now() - started };
}

async function fanOut({ javaPid, pgPids, users, sender, roomId, n, since }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: n + 16, maxFreeSockets: n + 16 });
    const sendAgent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const polled = users.slice(0, n);
    const tokens = polled.map(() => since);
    const rounds = [];
    const errors = new Map();
    const addError = (k) => errors.set(k, (errors.get(k) ?? 0) + 1);
    let heap = null;
    let armCpu = null;
    let early = 0;
    try {
        const heapBefore = heapAfterGc(javaPid);
        for (let round = 0; round < LEVEL_SENDS.get(n); round++) {
            const armProbe = new CpuProbe(javaPid, pgPids);
            const armed = await armAll(agent, polled, tokens, javaPid, pgPids);
            const a = armProbe.read();
            early += armed.early;
            for (const f of armed.failures) addError(`while arming: ${f}`);
            if (round === 0) {
                armCpu = a;
                const heapParked = heapAfterGc(javaPid);
                heap = {
                    before: heapBefore?.used, parked: heapParked?.used, committed: heapParked?.committed,
                    perPollKiB: heapBefore && heapParked ? ((heapParked.used - heapBefore.used) * 1024) / n : NaN,
                };
                if (PARKED_PAUSE_S > 0) {
                    // For inspection with jcmd (e.g. GC.class_histogram) while every poll is parked.
                    console.error(`#   ${n} polls parked on JVM pid ${javaPid}; pausing ${PARKED_PAUSE_S} s`);
                    await sleep(PARKED_PAUSE_S * 1000);
                }
                await sleep(1000); // let the GC's own CPU settle before the wake is measured
            }
            for (const p of armed.pending) p.armed = false;
            const probe = new CpuProbe(javaPid, pgPids);
            const t0 = performance.now();
            const eventId = await send(sendAgent, sender, roomId, `fan-${runId}-${n}-${round}`);
            const tSent = performance.now();
            const results = await Promise.all(armed.pending.map((p) => p.promise));
            const tLast = performance.now();
            const cpu = probe.read();
            const fromSent = [];
            const fromStart = [];
            let missing = 0;
            let backwards = 0;
            results.forEach((res, i) => {
                if (res.status !== 200) {
                    addError(`${res.status} ${res.body?.errcode ?? res.error ?? ""}`);
                    return;
                }
                if (eventsPosition(res.body.next_batch) < eventsPosition(tokens[i])) {
                    if (backwards++ === 0) {
                        console.error(`#   next_batch ${res.body.next_batch} is behind since ${tokens[i]} (after ${fmt(res.at - tSent)} ms)`);
                    }
                }
                tokens[i] = res.body.next_batch;
                if (!hasEvent(res.body, roomId, eventId)) {
                    if (missing++ === 0) {
                        console.error(`#   a response without ${eventId} (after ${fmt(res.at - tSent)} ms): ` +
                            JSON.stringify(res.body).slice(0, 1500));
                    }
                }
                fromSent.push(res.at - tSent);
                fromStart.push(res.at - t0);
            });
            if (missing) addError(`${missing} responses without the sent event`);
            if (backwards) addError(`${backwards} next_batch behind their since`);
            fromSent.sort((x, y) => x - y);
            rounds.push({
                sendMs: tSent - t0, p50: percentile(fromSent, 0.5), p99: percentile(fromSent, 0.99),
                max: fromSent[fromSent.length - 1], min: fromSent[0], ok: fromSent.length, lastMs: tLast - t0, cpu,
                samples: fromSent,
                bytes: results.find((r) => r.status === 200)?.bytes,
            });
            console.error(`#   N=${n} send ${round + 1}: send ${fmt(tSent - t0)} ms, wake p50 ${fmt(percentile(fromSent, 0.5))} ` +
                `p99 ${fmt(percentile(fromSent, 0.99))} max ${fmt(fromSent[fromSent.length - 1])} ms, ` +
                `JVM ${fmt(cpu.java, 2)} s PG ${fmt(cpu.pg, 2)} s client ${fmt(cpu.client, 2)} s CPU` +
                (missing ? `, ${missing} without the event` : "") + (backwards ? `, ${backwards} next_batch behind since` : ""));
            await sleep(1500);
        }
    } finally {
        agent.destroy();
        sendAgent.destroy();
    }
    return { n, rounds, heap, armCpu, early, errors: [...errors].map(([k, v]) => `${v}× ${k}`).join(", ") };
}

/**
 * The big account's incremental syncs: INCREMENTAL times, a message in one of its rooms (a different room each
 * time), then GET /sync?since=<the last next_batch>&timeout=0 with the fan-out's filter; time and server CPU of that
 * sync, and a check that it carries the message.
 */
async function incrementalSyncs(agent, owner, { token: since, rooms }, javaPid, pgPids) {
    const runs = [];
    let token = since;
    for (let i = 0; i < INCREMENTAL; i++) {
        const roomId = rooms[(i * 37) % rooms.length];
        const eventId = await send(agent, owner, roomId, `incremental-${runId}-${i}`);
        const probe = new CpuProbe(javaPid, pgPids);
        const t0 = performance.now();
        const res = await call(agent, "GET", `/_matrix/client/v3/sync?since=${encodeURIComponent(token)}&timeout=0` +
            `&set_presence=offline&filter=${encodeURIComponent(FILTER)}`, { token: owner.token, timeoutMs: 60_000 });
        const ms = res.at - t0;
        const cpu = probe.read();
        if (res.status !== 200) throw new Error(`incremental sync: HTTP ${res.status}`);
        if (!hasEvent(res.body, roomId, eventId)) throw new Error(`incremental sync ${i} lacks ${eventId}`);
        token = res.body.next_batch;
        runs.push({ ms, cpu, bytes: res.bytes });
    }
    return runs;
}

// ---------------------------------------------------------------- report helpers

function fmt(n, digits = 1) {
    return n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);
}

function int(n) {
    return n === null || n === undefined || Number.isNaN(n) ? "–" : Math.round(n).toLocaleString("en-US");
}

function row(cells) {
    return `| ${cells.join(" | ")} |`;
}

async function machineFacts(admin) {
    const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
    const mem = Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)[1]) / 1024 / 1024;
    const settings = {};
    for (const name of ["server_version", "shared_buffers", "max_connections"]) {
        settings[name] = (await admin.query(`SHOW ${name}`)).rows[0][name];
    }
    const java = execFileSync("sh", ["-c", "java -version 2>&1"], { encoding: "utf8" }).split("\n")[0];
    let nofile = "?";
    try {
        nofile = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
    } catch {
        // unknown
    }
    return {
        cpu: `${os.cpus().length} × ${cpu}`, mem: `${mem.toFixed(1)} GiB`, kernel: `${os.type()} ${os.release()}`,
        load: os.loadavg().map((l) => l.toFixed(2)).join(" "), java, node: process.version, pg: settings, nofile,
    };
}

// ---------------------------------------------------------------- main

async function main() {
    for (const [k, v] of Object.entries({
        // thousands of accounts in a few minutes; nothing else on the way is rate-limited.
        MYELIN_RATELIMIT_REGISTER_PER_SECOND: "100000",
        MYELIN_RATELIMIT_REGISTER_BURST: "100000",
        MYELIN_TEST_DB_URL: dbUrl.href,
    })) {
        process.env[k] = v;
    }
    const admin = new pg.Client({ ...dbServer, database: "postgres" });
    await admin.connect();
    const machine = await machineFacts(admin);
    console.error(`# machine: ${machine.cpu}, ${machine.mem}, load ${machine.load}; ${machine.java}; node ${machine.node}; ulimit -n ${machine.nofile}`);

    let myelinDb;
    const log = console.error;
    console.error = (...args) => {
        const m = String(args[0]).match(/database [^/\s]+\/(\S+),/);
        if (m) myelinDb = m[1];
        log(...args);
    };
    const server = await startServer();
    console.error = log;
    // Interrupted: stop the jar and drop its database all the same.
    for (const signal of ["SIGINT", "SIGTERM"]) {
        process.once(signal, () => {
            console.error(`# ${signal}: stopping Myelin, dropping its database`);
            server.stop().finally(() => process.exit(130));
        });
    }
    base = new URL(server.baseUrl);
    const javaPid = server.pid;
    const pgPidsOf = async () => myelinDb
        ? (await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1", [myelinDb])).rows.map((r) => r.pid)
        : [];
    const seedAgent = new http.Agent({ keepAlive: true, maxSockets: SEED_WIDTH * 2 + 8 });
    const results = { floor: {}, fan: [], initial: null };
    const maxN = Math.max(0, ...LEVELS);
    const t00 = performance.now();
    try {
        // ---- floor
        console.error(`# floor: warm-up 5 s, then GET /versions, ${FLOOR_CONNECTIONS} closed loops, ${FLOOR_SECONDS} s`);
        await nodeFloor(5);
        let pgPids = await pgPidsOf();
        const w = await measured(javaPid, pgPids, async () => wrkFloor());
        if (w.rate !== undefined) results.floor.wrk = w;
        results.floor.node = await measured(javaPid, pgPids, () => nodeFloor(FLOOR_SECONDS));

        // ---- users, one public room
        const regProbe = new CpuProbe(javaPid, []);
        console.error(`# registering ${maxN} users and 1 sender (${SEED_WIDTH} at a time)`);
        const sender = await register(seedAgent, `sender_${runId}`);
        const users = await inBatches(maxN, SEED_WIDTH, (i) => register(seedAgent, `u${i}_${runId}`));
        const reg = regProbe.read();
        console.error(`#   ${maxN} registrations in ${fmt(reg.wall)} s (JVM ${fmt(reg.java)} s CPU)`);
        const room = expectOk(await call(seedAgent, "POST", "/_matrix/client/v3/createRoom", {
            token: sender.token, body: { preset: "public_chat", name: "fan-out" },
        }), "createRoom").room_id;
        const joinProbe = new CpuProbe(javaPid, []);
        await inBatches(maxN, SEED_WIDTH, async (i) =>
            expectOk(await call(seedAgent, "POST", `/_matrix/client/v3/join/${encodeURIComponent(room)}`, {
                token: users[i].token, body: {},
            }), "join"));
        const joins = joinProbe.read();
        console.error(`#   ${maxN} joins in ${fmt(joins.wall)} s (JVM ${fmt(joins.java)} s CPU)`);
        await send(seedAgent, sender, room, `warm-${runId}`);
        // One initial (lazy-loading) sync gives a token after every join; each poll starts from it.
        const first = expectOk(await call(seedAgent, "GET",
            `/_matrix/client/v3/sync?timeout=0&filter=${encodeURIComponent(FILTER)}`, { token: sender.token, timeoutMs: 120_000 }),
        "initial sync");
        results.seed = { reg, joins };

        // ---- fan-out, smallest N first
        pgPids = await pgPidsOf();
        for (const n of [...LEVELS].sort((a, b) => a - b)) {
            console.error(`# fan-out: ${n} parked polls, ${LEVEL_SENDS.get(n)} sends`);
            try {
                // Every poll starts from the sender's current position (tokens are stream positions, not per user),
                // so no poll has earlier levels' messages to report and all of them park.
                const now = expectOk(await call(seedAgent, "GET", `/_matrix/client/v3/sync?timeout=0&set_presence=offline` +
                    `&since=${encodeURIComponent(first.next_batch)}&filter=${encodeURIComponent(FILTER)}`,
                { token: sender.token, timeoutMs: 120_000 }), "sender sync").next_batch;
                results.fan.push(await fanOut({ javaPid, pgPids: await pgPidsOf(), users, sender, roomId: room, n, since: now }));
            } catch (e) {
                console.error(`#   N=${n} abandoned: ${e.message}`);
                results.fan.push({ n, failed: e.message });
                await sleep(5000);
            }
        }

        // ---- initial sync in ROOMS rooms
        if (ROOMS > 0) {
            console.error(`# initial sync: one user in ${ROOMS} rooms (createRoom + one message each, ${SEED_WIDTH} at a time)`);
            const owner = await register(seedAgent, `rooms_${runId}`);
            const seedProbe = new CpuProbe(javaPid, []);
            await inBatches(ROOMS, SEED_WIDTH, async (i) => {
                const r = expectOk(await call(seedAgent, "POST", "/_matrix/client/v3/createRoom", {
                    // The nonce keeps concurrent create events of one user apart (see the doc: same millisecond,
                    // same content → same room ID in room versions that derive it from the create event).
                    token: owner.token, body: {
                        preset: "private_chat", name: `room ${i}`, topic: `topic of room ${i}`,
                        creation_content: { "org.myelin.bench.nonce": `${runId}-${i}` },
                    },
                }), "createRoom").room_id;
                await send(seedAgent, owner, r, `seed-${i}`);
            });
            const seeded = seedProbe.read();
            console.error(`#   ${ROOMS} rooms in ${fmt(seeded.wall)} s`);
            const runs = [];
            let last = null;
            pgPids = await pgPidsOf();
            for (let i = 0; i < 3; i++) {
                const probe = new CpuProbe(javaPid, pgPids);
                const t0 = performance.now();
                const res = await call(seedAgent, "GET", "/_matrix/client/v3/sync", {
                    token: owner.token, timeoutMs: 300_000, raw: true, headers: { "Accept-Encoding": "gzip" },
                });
                const ms = res.at - t0;
                const cpu = probe.read();
                if (res.status !== 200) throw new Error(`initial sync: HTTP ${res.status} ${res.buf.toString().slice(0, 300)}`);
                const encoding = res.headers["content-encoding"] ?? "identity";
                const json = encoding === "gzip" ? (await import("node:zlib")).gunzipSync(res.buf) : res.buf;
                const body = JSON.parse(json.toString("utf8"));
                last = { token: body.next_batch, rooms: Object.keys(body.rooms?.join ?? {}) };
                runs.push({
                    ms, wire: res.buf.length, bytes: json.length, encoding, gzipLocal: gzipSync(json).length,
                    joined: Object.keys(body.rooms?.join ?? {}).length, cpu,
                });
                console.error(`#   initial sync ${i + 1}: ${fmt(ms)} ms, ${json.length} bytes (${encoding} on the wire: ` +
                    `${res.buf.length}), ${Object.keys(body.rooms?.join ?? {}).length} joined rooms`);
                await sleep(1000);
            }
            results.initial = { seeded, runs, incremental: await incrementalSyncs(seedAgent, owner, last, javaPid, pgPids) };
        }
    } finally {
        seedAgent.destroy();
        results.rssEnd = rssMiB(javaPid);
        await server.stop();
        await admin.end();
    }
    report(machine, results, (performance.now() - t00) / 1000);
}

function report(machine, results, totalS) {
    const lines = [];
    const endLoad = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    lines.push(`Machine: ${machine.cpu}, ${machine.mem} RAM, ${machine.kernel}; load average ${machine.load} at start, ` +
        `${endLoad} at the end. ${machine.java} (default heap); Node ${machine.node} as the client on the same cores; ` +
        `PostgreSQL ${machine.pg.server_version} (shared_buffers ${machine.pg.shared_buffers}); ulimit -n ${machine.nofile}. ` +
        `Whole run ${fmt(totalS, 0)} s.`);
    lines.push("");
    lines.push(`Floor: GET /_matrix/client/versions, ${FLOOR_CONNECTIONS} keep-alive connections in closed loops, ${FLOOR_SECONDS} s.`);
    lines.push("");
    lines.push(row(["client", "requests ok", "requests/s", "p50 ms", "p99 ms", "JVM CPU cores", "client CPU cores", "machine CPU busy", "JVM CPU µs per request", "errors"]));
    lines.push(row(Array(10).fill("---")));
    for (const [name, r] of Object.entries(results.floor)) {
        if (!r || r.rate === undefined) continue;
        lines.push(row([name === "wrk" ? "wrk -t2" : "Node http", int(r.ok), int(r.rate), fmt(r.p50, 2), fmt(r.p99, 2),
            fmt(r.cpu.java / r.cpu.wall, 2), fmt(r.cpu.client / r.cpu.wall, 2), `${fmt(r.cpu.machineBusy * 100, 0)} %`,
            fmt((r.cpu.java / r.ok) * 1e6, 0), r.errors || "none"]));
    }
    if (results.seed) {
        const { reg, joins } = results.seed;
        const n = Math.max(0, ...LEVELS);
        lines.push("");
        lines.push(`Seeding: ${n} registrations in ${fmt(reg.wall)} s (${fmt(n / reg.wall, 0)}/s, JVM ${fmt((reg.java / n) * 1000, 1)} ms CPU each), ` +
            `${n} joins of one room in ${fmt(joins.wall)} s (${fmt(n / joins.wall, 0)}/s, JVM ${fmt((joins.java / n) * 1000, 1)} ms CPU each).`);
    }
    lines.push("");
    lines.push(`Fan-out: N parked /sync long-polls (timeout ${POLL_TIMEOUT_MS / 1000} s, timeline limit 10, lazy-loaded members, ` +
        `set_presence=${SET_PRESENCE}), ` +
        `one sender, ${[...LEVEL_SENDS].map(([n, k]) => `${k} sends at N = ${n}`).join(", ")}; wake = that poll's response received ` +
        `minus the send's 200 received (percentiles over all N × sends responses; send, last-response and CPU columns are ` +
        `medians over the sends; re-arm = the first arming of all N polls, each computing an empty incremental sync).`);
    lines.push("");
    lines.push(row(["N", "responses ok", "wake p50 ms", "wake p99 ms", "wake max ms", "send ms (median)", "last response after send start ms (median)",
        "JVM CPU per wake µs", "PG CPU per wake µs", "client CPU per wake µs", "JVM CPU per re-arm µs", "heap per parked poll KiB",
        "heap used idle → parked MiB", "response bytes", "errors"]));
    lines.push(row(Array(15).fill("---")));
    for (const f of results.fan) {
        if (f.failed) {
            lines.push(row([int(f.n), `abandoned: ${f.failed}`, ...Array(13).fill("–")]));
            continue;
        }
        const pooled = f.rounds.flatMap((r) => r.samples).sort((a, b) => a - b);
        const perWake = (k) => median(f.rounds.map((r) => (r.cpu[k] / f.n) * 1e6));
        lines.push(row([int(f.n), int(pooled.length),
            fmt(percentile(pooled, 0.5)), fmt(percentile(pooled, 0.99)), fmt(pooled[pooled.length - 1]), fmt(median(f.rounds.map((r) => r.sendMs))),
            fmt(median(f.rounds.map((r) => r.lastMs))), fmt(perWake("java"), 0), fmt(perWake("pg"), 0), fmt(perWake("client"), 0),
            fmt((f.armCpu.java / f.n) * 1e6, 0), fmt(f.heap?.perPollKiB, 1),
            `${fmt(f.heap?.before, 0)} → ${fmt(f.heap?.parked, 0)}`, int(f.rounds[0]?.bytes), f.errors || "none"]));
    }
    if (results.initial) {
        const { seeded, runs } = results.initial;
        lines.push("");
        lines.push(`Initial sync: one user joined to ${ROOMS} rooms (seeded through the API in ${fmt(seeded.wall)} s: createRoom with name and topic, ` +
            `one message each), GET /sync without since or filter, Accept-Encoding: gzip, 3 times.`);
        lines.push("");
        lines.push(row(["run", "time ms", "joined rooms", "JSON bytes", "on the wire", "gzip bytes (computed by the client)", "JVM CPU s", "PG CPU s"]));
        lines.push(row(Array(8).fill("---")));
        runs.forEach((r, i) => lines.push(row([String(i + 1), fmt(r.ms, 0), int(r.joined), int(r.bytes), `${int(r.wire)} (${r.encoding})`,
            int(r.gzipLocal), fmt(r.cpu.java, 2), fmt(r.cpu.pg, 2)])));
        lines.push(row(["median", fmt(median(runs.map((r) => r.ms)), 0), "", int(median(runs.map((r) => r.bytes))), "",
            int(median(runs.map((r) => r.gzipLocal))), fmt(median(runs.map((r) => r.cpu.java)), 2), fmt(median(runs.map((r) => r.cpu.pg)), 2)]));
    }
    if (results.initial?.incremental?.length) {
        const inc = results.initial.incremental;
        const sorted = inc.map((r) => r.ms).sort((a, b) => a - b);
        lines.push("");
        lines.push(`Incremental sync of the same account: ${inc.length} times, one message in one of its rooms, then ` +
            "GET /sync?since=<last next_batch>&timeout=0 with the fan-out's filter.");
        lines.push("");
        lines.push(row(["runs", "p50 ms", "p90 ms", "max ms", "JVM CPU ms (median)", "PG CPU ms (median)", "bytes (median)"]));
        lines.push(row(Array(7).fill("---")));
        lines.push(row([String(inc.length), fmt(percentile(sorted, 0.5)), fmt(percentile(sorted, 0.9)), fmt(sorted[sorted.length - 1]),
            fmt(median(inc.map((r) => r.cpu.java * 1000))), fmt(median(inc.map((r) => r.cpu.pg * 1000))), int(median(inc.map((r) => r.bytes)))]));
    }
    lines.push("");
    lines.push("Against the targets of the sync-at-scale issue:");
    lines.push("");
    lines.push(row(["measurement", "measured", "target"]));
    lines.push(row(["---", "--:", "--:"]));
    for (const t of targets(results)) lines.push(row(t));
    lines.push("");
    lines.push(`JVM RSS at the end: ${fmt(results.rssEnd, 0)} MiB.`);
    console.log(lines.join("\n"));
}

/** [measurement, measured, target] for each target this run measured. */
function targets(results) {
    const out = [];
    for (const f of results.fan) {
        if (f.failed) {
            out.push([`${int(f.n)} parked polls, one send`, `abandoned: ${f.failed}`, "every poll answered"]);
            continue;
        }
        const pooled = f.rounds.flatMap((r) => r.samples).sort((a, b) => a - b);
        const goal = f.n >= 5000 ? "≤ 1000 ms, 0 errors" : f.n >= 1000 ? "≤ 250 ms" : null;
        if (goal) out.push([`${int(f.n)} parked polls, one send: p99 wake`, `${fmt(percentile(pooled, 0.99))} ms, ${f.errors || "0 errors"}`, goal]);
    }
    const largest = results.fan.filter((f) => !f.failed).at(-1);
    if (largest) {
        const cpu = median(largest.rounds.map((r) => ((r.cpu.java + r.cpu.pg) / largest.n) * 1e3));
        out.push([`server CPU (JVM + PostgreSQL) per woken poll, N = ${int(largest.n)}`, `${fmt(cpu, 2)} ms`, "≤ 0.5 ms"]);
        out.push([`heap per parked poll, N = ${int(largest.n)}`, `${fmt(largest.heap?.perPollKiB, 1)} KiB`, "≤ 10 KiB"]);
    }
    if (results.initial) {
        out.push([`initial sync, ${int(ROOMS)} small rooms, no filter (median)`,
            `${fmt(median(results.initial.runs.map((r) => r.ms)), 0)} ms`, "≤ 1000 ms"]);
        const inc = results.initial.incremental.map((r) => r.ms).sort((a, b) => a - b);
        if (inc.length) out.push([`incremental sync of the ${int(ROOMS)}-room account, one room changed (p50)`, `${fmt(percentile(inc, 0.5))} ms`, "≤ 20 ms"]);
    }
    return out;
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
