// Benchmark (not a test; nothing under test/ imports it, `npm test` and `mvn verify` never run it):
// message send throughput and latency of
//   PUT /_matrix/client/v3/rooms/{roomId}/send/m.room.message/{txnId}
// on the packaged jar, next to PostgreSQL's own commit rate for transactions of the same shape
// (pgbench, same PostgreSQL server, same run). Run it through send-throughput.sh (README there).
//
//   A   1 sender in 1 room, one request at a time (closed loop)
//   B   64 senders in 64 rooms, 64 concurrent closed loops (one room each: no lock contention)
//   pgbench "insert": one INSERT of an event-like row (600-byte text, the events table's indexes)
//   pgbench "room tx": the row lock + reads + writes of an append, 7 statements, one room per client
//
// Everything is bounded: BENCH_SECONDS per measured run (default 20), a 5 s warm-up, loopback only.

import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { cpuSeconds, rssMiB } from "../lib/bench.mjs";
import { startServer } from "../lib/server.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 64);
/** CPU and RSS are measured over the run minus this margin at each end (ramp-up, drain). */
const MARGIN_S = Math.min(2, SECONDS / 5);
const BODY = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore " +
    "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.";

const dbUrl = new URL(process.env.MYELIN_TEST_DB_URL ?? "postgresql://postgres@127.0.0.1:5432");
const dbServer = {
    host: dbUrl.hostname,
    port: Number(dbUrl.port || 5432),
    user: decodeURIComponent(dbUrl.username || "postgres"),
    password: decodeURIComponent(dbUrl.password) || undefined,
};

// ---------------------------------------------------------------- measurement helpers

function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

/** Busy and total jiffies of the whole machine. */
function machineTicks() {
    const [, ...v] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
    const n = v.map(Number);
    const idle = n[3] + n[4];
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
}

async function backendPids(admin, database) {
    const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1", [database]);
    return rows.map((r) => r.pid);
}

/**
 * Samples CPU of a process (the JVM) and of the PostgreSQL backends serving `database`, and the
 * whole machine, over [start + margin, end - margin]; RSS at the end of the window.
 */
async function measureWindow({ admin, database, javaPid, seconds }) {
    await sleep(MARGIN_S * 1000);
    const pids = await backendPids(admin, database);
    const t0 = performance.now();
    const java0 = javaPid ? cpuSeconds(javaPid) : null;
    const pg0 = new Map(pids.map((p) => [p, cpuSeconds(p)]));
    const m0 = machineTicks();
    const self0 = process.cpuUsage();
    await sleep(Math.max(0, seconds - 2 * MARGIN_S) * 1000);
    const wall = (performance.now() - t0) / 1000;
    const self = process.cpuUsage(self0);
    const m1 = machineTicks();
    let pgCpu = 0;
    for (const [p, before] of pg0) {
        const after = cpuSeconds(p);
        if (before !== null && after !== null) pgCpu += after - before;
    }
    return {
        javaCores: javaPid ? (cpuSeconds(javaPid) - java0) / wall : null,
        pgCores: pgCpu / wall,
        pgBackends: pids.length,
        machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
        loadgenCores: (self.user + self.system) / 1e6 / wall,
        javaRssMiB: javaPid ? rssMiB(javaPid) : null,
    };
}

function heapUsedMiB(pid) {
    try {
        const out = execFileSync("jcmd", [String(pid), "GC.heap_info"], { encoding: "utf8", timeout: 20_000 });
        const m = out.match(/heap\s+total (?:reserved \d+K, committed )?(\d+)K, used (\d+)K/);
        return m ? { committed: Number(m[1]) / 1024, used: Number(m[2]) / 1024 } : null;
    } catch {
        return null;
    }
}

function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------- HTTP (keep-alive, loopback)

let agent;
let base;

function call(method, pathname, { token, body } = {}) {
    return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const headers = { Accept: "application/json" };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (payload) {
            headers["Content-Type"] = "application/json";
            headers["Content-Length"] = payload.length;
        }
        const req = http.request(
            { host: base.hostname, port: base.port, method, path: pathname, agent, headers, timeout: 30_000 },
            (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const text = Buffer.concat(chunks).toString("utf8");
                    let parsed = text;
                    try {
                        parsed = JSON.parse(text);
                    } catch {
                        // left as text
                    }
                    resolve({ status: res.statusCode, body: parsed });
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${pathname}: no answer in 30 s`)));
        req.on("error", reject);
        req.end(payload);
    });
}

async function expectOk(res, what) {
    if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
}

async function register(prefix) {
    const username = `${prefix}_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    const challenge = await call("POST", "/_matrix/client/v3/register", { body: { username, password } });
    if (challenge.status !== 401) throw new Error(`register challenge: HTTP ${challenge.status} ${JSON.stringify(challenge.body)}`);
    const auth = { type: "m.login.dummy", session: challenge.body.session };
    const res = await call("POST", "/_matrix/client/v3/register", { body: { username, password, auth } });
    return expectOk(res, "register");
}

async function inBatches(n, width, fn) {
    const out = new Array(n);
    let next = 0;
    await Promise.all(
        Array.from({ length: width }, async () => {
            while (next < n) {
                const i = next++;
                out[i] = await fn(i);
            }
        }),
    );
    return out;
}

// ---------------------------------------------------------------- the send scenarios

const runId = randomBytes(3).toString("hex");

/** `loops` concurrent closed loops, sender i in room i, until `seconds` have passed. */
async function sendLoad(senders, loops, seconds, label) {
    const latencies = [];
    const errors = new Map();
    let sent = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
        senders.slice(0, loops).map(async (s, idx) => {
            const room = encodeURIComponent(s.roomId);
            for (let i = 0; performance.now() < deadline; i++) {
                const txn = `${label}-${runId}-${idx}-${i}`;
                const t0 = performance.now();
                const res = await call("PUT", `/_matrix/client/v3/rooms/${room}/send/m.room.message/${txn}`, {
                    token: s.token,
                    body: { msgtype: "m.text", body: BODY },
                });
                const ms = performance.now() - t0;
                if (res.status === 200) {
                    latencies.push(ms);
                    sent++;
                } else {
                    const key = `${res.status} ${res.body?.errcode ?? ""}`;
                    errors.set(key, (errors.get(key) ?? 0) + 1);
                }
            }
        }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
        ok: sent,
        elapsed,
        rate: sent / elapsed,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        errors: [...errors].map(([k, v]) => `${v}× ${k}`).join(", "),
    };
}

async function dbStats(admin, database) {
    const { rows } = await admin.query(
        "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1",
        [database],
    );
    return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

async function measuredSend({ admin, database, javaPid, senders, loops, label }) {
    await sleep(1200); // let the previous phase's statistics reach pg_stat_database
    const stats0 = await dbStats(admin, database);
    const [load, window] = await Promise.all([
        sendLoad(senders, loops, SECONDS, label),
        measureWindow({ admin, database, javaPid, seconds: SECONDS }),
    ]);
    await sleep(1200);
    const stats1 = await dbStats(admin, database);
    const perSend = (k) => (stats1[k] - stats0[k]) / load.ok;
    const heap = heapUsedMiB(javaPid);
    return {
        ...load,
        ...window,
        heap,
        commitsPerSend: perSend("xact_commit"),
        rowsPerSend: perSend("tup_inserted") + perSend("tup_updated") + perSend("tup_deleted"),
    };
}

// ---------------------------------------------------------------- pgbench

const PG_SCHEMA = `
CREATE TABLE bench_events (
    stream_ordering BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, room_id TEXT NOT NULL, type TEXT NOT NULL,
    state_key TEXT, sender TEXT NOT NULL, depth BIGINT NOT NULL, topological_ordering BIGINT NOT NULL,
    origin_server_ts BIGINT NOT NULL, json TEXT NOT NULL, txn_id TEXT, sender_device_id TEXT);
CREATE INDEX ON bench_events (room_id, topological_ordering, stream_ordering);
CREATE INDEX ON bench_events (room_id, stream_ordering);
CREATE SEQUENCE bench_seq;
CREATE TABLE bench_rooms (room_id TEXT PRIMARY KEY, depth BIGINT NOT NULL);
CREATE TABLE bench_extremities (room_id TEXT PRIMARY KEY, event_id TEXT NOT NULL);
CREATE TABLE bench_edges (event_id TEXT NOT NULL, prev_event_id TEXT NOT NULL, PRIMARY KEY (event_id, prev_event_id));
CREATE TABLE bench_txns (user_id TEXT, device_id TEXT, txn_id TEXT, response TEXT, PRIMARY KEY (user_id, device_id, txn_id));
INSERT INTO bench_rooms SELECT '!room' || i || ':localhost', 1 FROM generate_series(0, 255) i;
INSERT INTO bench_extremities SELECT '!room' || i || ':localhost', '$start' || i FROM generate_series(0, 255) i;
`;

// 19 md5 hex strings: a 608-character JSON-ish text that does not compress away.
const EVENT_ROW = `nextval('bench_seq'), '$' || md5(random()::text) || md5(random()::text), '!room' || :client_id || ':localhost',
    'm.room.message', NULL, '@bench' || :client_id || ':localhost', 2, 2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
    repeat(md5(random()::text), 19), 'txn' || random(), 'DEVICE'`;

const PG_SCRIPTS = {
    insert: `INSERT INTO bench_events VALUES (${EVENT_ROW});\n`,
    // pgbench substitutes variables as bare text, so the event ID is built from integers.
    "room tx": `\\set n random(1, 9000000000000000)
BEGIN;
SELECT depth FROM bench_rooms WHERE room_id = '!room' || :client_id || ':localhost' FOR UPDATE;
SELECT event_id FROM bench_extremities WHERE room_id = '!room' || :client_id || ':localhost';
INSERT INTO bench_events VALUES (${EVENT_ROW.replace("'$' || md5(random()::text) || md5(random()::text)", "'$e' || :client_id || '_' || :n")});
INSERT INTO bench_edges VALUES ('$e' || :client_id || '_' || :n, 'p' || random()), ('$e' || :client_id || '_' || :n, 'a1' || random()),
    ('$e' || :client_id || '_' || :n, 'a2' || random()), ('$e' || :client_id || '_' || :n, 'a3' || random());
UPDATE bench_extremities SET event_id = '$e' || :client_id || '_' || :n WHERE room_id = '!room' || :client_id || ':localhost';
INSERT INTO bench_txns VALUES ('@bench' || :client_id || ':localhost', 'DEVICE', 't' || :n, '{}');
COMMIT;
`,
};

function runPgbench({ database, script, clients, workDir }) {
    const file = path.join(workDir, `script-${clients}-${script.replace(/\W/g, "")}.sql`);
    writeFileSync(file, PG_SCRIPTS[script]);
    const logPrefix = path.join(workDir, `log-${clients}-${script.replace(/\W/g, "")}`);
    const args = [
        "-n", "-f", file, "-c", String(clients), "-j", String(Math.min(clients, 2)), "-T", String(SECONDS),
        "-l", `--log-prefix=${logPrefix}`,
        "-h", dbServer.host, "-p", String(dbServer.port), "-U", dbServer.user, database,
    ];
    const env = { ...process.env, PGPASSWORD: dbServer.password ?? "" };
    return new Promise((resolve, reject) => {
        const child = spawn("pgbench", args, { env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (out += c));
        child.on("error", reject);
        child.on("exit", (code) => {
            if (code !== 0) return reject(new Error(`pgbench ${args.join(" ")} exited ${code}:\n${out}`));
            const tps = Number(out.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1]);
            const latencies = [];
            for (const f of readdirSync(workDir).filter((n) => n.startsWith(path.basename(logPrefix)))) {
                for (const line of readFileSync(path.join(workDir, f), "utf8").split("\n")) {
                    const us = Number(line.split(" ")[2]);
                    if (Number.isFinite(us) && line) latencies.push(us / 1000);
                }
            }
            latencies.sort((a, b) => a - b);
            resolve({
                rate: tps,
                ok: latencies.length,
                p50: percentile(latencies, 0.5),
                p99: percentile(latencies, 0.99),
                failed: out.match(/number of failed transactions: (\d+)/)?.[1] ?? "0",
            });
        });
    });
}

async function measuredPgbench({ admin, database, script, clients, workDir }) {
    const [result, window] = await Promise.all([
        runPgbench({ database, script, clients, workDir }),
        measureWindow({ admin, database, javaPid: null, seconds: SECONDS }),
    ]);
    return { ...result, ...window };
}

// ---------------------------------------------------------------- report

function fmt(n, digits = 1) {
    return n === null || n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits);
}

function row(cells) {
    return `| ${cells.join(" | ")} |`;
}

async function machineFacts(admin) {
    const cpu = readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "?";
    const mem = Number(readFileSync("/proc/meminfo", "utf8").match(/MemTotal:\s+(\d+)/)[1]) / 1024 / 1024;
    const settings = {};
    for (const name of ["server_version", "fsync", "synchronous_commit", "wal_sync_method", "shared_buffers", "max_connections"]) {
        settings[name] = (await admin.query(`SHOW ${name}`)).rows[0][name];
    }
    let java = "?";
    try {
        java = execFileSync("java", ["-version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0];
    } catch (e) {
        java = String(e.stderr ?? "").split("\n")[0] || java;
    }
    if (java === "?" || java === "") {
        const r = execFileSync("sh", ["-c", "java -version 2>&1"], { encoding: "utf8" });
        java = r.split("\n")[0];
    }
    return {
        cpu: `${os.cpus().length} × ${cpu}`,
        mem: `${mem.toFixed(1)} GiB`,
        kernel: `${os.type()} ${os.release()}`,
        load: os.loadavg().map((l) => l.toFixed(2)).join(" "),
        java,
        node: process.version,
        pg: settings,
    };
}

// ---------------------------------------------------------------- main

async function main() {
    for (const [k, v] of Object.entries({
        // 65 accounts in a few seconds; the send path has no rate limit.
        MYELIN_RATELIMIT_REGISTER_PER_SECOND: "1000",
        MYELIN_RATELIMIT_REGISTER_BURST: "1000",
        MYELIN_TEST_DB_URL: dbUrl.href,
    })) {
        process.env[k] = v;
    }
    const admin = new pg.Client({ ...dbServer, database: "postgres" });
    await admin.connect();
    const machine = await machineFacts(admin);
    console.error(`# machine: ${machine.cpu}, ${machine.mem}, load ${machine.load}; ${machine.java}; node ${machine.node}`);

    // startServer names the fresh database only in its log line; keep it.
    let myelinDb;
    const log = console.error;
    console.error = (...args) => {
        const m = String(args[0]).match(/database [^/\s]+\/(\S+),/);
        if (m) myelinDb = m[1];
        log(...args);
    };
    const server = await startServer();
    console.error = log;
    if (!myelinDb) throw new Error("could not tell which database Myelin uses");
    base = new URL(server.baseUrl);
    agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS + 8 });
    const results = {};
    let eventBytes;
    try {
        console.error(`# registering ${SENDERS} senders, one private room each`);
        const senders = await inBatches(SENDERS, 4, async (i) => {
            const r = await register(`bench${i}`);
            const room = await expectOk(
                await call("POST", "/_matrix/client/v3/createRoom", { token: r.access_token, body: { preset: "private_chat" } }),
                "createRoom",
            );
            return { token: r.access_token, roomId: room.room_id };
        });
        console.error(`# warm-up: ${WARMUP_SECONDS} s of ${SENDERS} loops, then ${WARMUP_SECONDS} s of 1`);
        await sendLoad(senders, SENDERS, WARMUP_SECONDS, "warm");
        await sendLoad(senders, 1, WARMUP_SECONDS, "warm1");
        const javaPid = server.pid;
        console.error(`# A: 1 sender, 1 room, ${SECONDS} s`);
        results.A = await measuredSend({ admin, database: myelinDb, javaPid, senders, loops: 1, label: "a" });
        console.error(`# B: ${SENDERS} senders, ${SENDERS} rooms, ${SECONDS} s`);
        results.B = await measuredSend({ admin, database: myelinDb, javaPid, senders, loops: SENDERS, label: "b" });
        const sizes = await new pg.Client({ ...dbServer, database: myelinDb });
        await sizes.connect();
        eventBytes = Number((await sizes.query("SELECT avg(length(json))::int AS n FROM events WHERE type = 'm.room.message'")).rows[0].n);
        await sizes.end();
    } finally {
        agent.destroy();
        await server.stop(); // frees its pool's connections before pgbench opens 64
    }

    const pgDb = `myelin_bench_pg_${randomBytes(4).toString("hex")}`;
    const workDir = mkdtempSync(path.join(os.tmpdir(), "myelin-bench-"));
    await admin.query(`CREATE DATABASE ${pgDb}`);
    try {
        const c = new pg.Client({ ...dbServer, database: pgDb });
        await c.connect();
        await c.query(PG_SCHEMA);
        await c.end();
        for (const script of Object.keys(PG_SCRIPTS)) {
            for (const clients of [1, SENDERS]) {
                console.error(`# pgbench ${script}, -c ${clients}, ${SECONDS} s`);
                results[`pgbench ${script} -c ${clients}`] = await measuredPgbench({ admin, database: pgDb, script, clients, workDir });
            }
        }
    } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
        rmSync(workDir, { recursive: true, force: true });
        await admin.end();
    }

    const lines = [];
    const endLoad = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    lines.push(`Machine: ${machine.cpu}, ${machine.mem} RAM, ${machine.kernel}; load average ${machine.load} at start, ` +
        `${endLoad} at the end (other jobs share the machine: compare "machine CPU busy" with the columns before it).`);
    lines.push(`${machine.java} (default heap settings); Node ${machine.node} load generator on the same machine.`);
    const s = machine.pg;
    lines.push(`PostgreSQL ${s.server_version}: fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}, ` +
        `wal_sync_method=${s.wal_sync_method}, shared_buffers=${s.shared_buffers}, max_connections=${s.max_connections}.`);
    lines.push(`${SECONDS} s per run after a ${WARMUP_SECONDS}+${WARMUP_SECONDS} s warm-up; message body ${BODY.length} chars, ` +
        `stored event JSON ${eventBytes} bytes on average; pgbench row text 608 bytes.`);
    lines.push("");
    lines.push(row(["run", "concurrency", "ok", "throughput /s", "p50 ms", "p99 ms", "JVM CPU cores", "PG backends CPU cores",
        "machine CPU busy", "load generator CPU cores", "JVM RSS MiB", "heap used / committed MiB", "PG xacts, rows written per send", "errors"]));
    lines.push(row(Array(14).fill("---")));
    const label = {
        A: ["Myelin send, A: 1 sender, 1 room", 1],
        B: [`Myelin send, B: ${SENDERS} senders, ${SENDERS} rooms`, SENDERS],
    };
    for (const [key, r] of Object.entries(results)) {
        const [name, conc] = label[key] ?? [key.replace(/ -c \d+$/, ""), Number(key.match(/-c (\d+)$/)[1])];
        lines.push(row([
            name, conc, r.ok, fmt(r.rate, 0), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.javaCores, 2),
            `${fmt(r.pgCores, 2)} (${r.pgBackends})`, `${fmt(r.machineBusy * 100, 0)} %`, fmt(r.loadgenCores, 2),
            fmt(r.javaRssMiB, 0), r.heap ? `${fmt(r.heap.used, 0)} / ${fmt(r.heap.committed, 0)}` : "–",
            r.commitsPerSend === undefined ? "–" : `${fmt(r.commitsPerSend, 2)}, ${fmt(r.rowsPerSend, 1)}`,
            r.errors || (r.failed && r.failed !== "0" ? `${r.failed} failed` : "none"),
        ]));
    }
    console.log(lines.join("\n"));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
