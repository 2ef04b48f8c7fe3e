// Benchmark (not a test; `npm test` and `mvn verify` never run it): one-time key claims,
//   POST /_matrix/client/v3/keys/claim
// on the packaged jar with CLAIMERS (default 64) concurrent closed loops all claiming from one device's
// pool, next to PostgreSQL running the same claim statement (DELETE ... RETURNING over a row taken with
// FOR UPDATE SKIP LOCKED) through pgbench with as many clients, same PostgreSQL server, same run.
// Run it through homeserver/bench/key-claims.sh. Every claimed key ID is checked to be handed out once.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startServer } from "../lib/server.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CLAIMERS = Number(process.env.BENCH_CLAIMERS ?? 64);
/** Keys in the pool; more than the run can claim, so every claim takes a one-time key. */
const POOL = Number(process.env.BENCH_POOL ?? 40_000);
const UPLOAD_BATCH = 500;

const dbUrl = new URL(process.env.MYELIN_TEST_DB_URL ?? "postgresql://postgres@127.0.0.1:5432");
const dbServer = {
    host: dbUrl.hostname,
    port: Number(dbUrl.port || 5432),
    user: decodeURIComponent(dbUrl.username || "postgres"),
    password: decodeURIComponent(dbUrl.password) || undefined,
};

function percentile(sorted, p) {
    return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))];
}

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
                res.on("end", () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${pathname}: no answer in 30 s`)));
        req.on("error", reject);
        req.end(payload);
    });
}

function ok(res, what) {
    if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
}

async function register(prefix) {
    const username = `${prefix}_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    const challenge = await call("POST", "/_matrix/client/v3/register", { body: { username, password } });
    const auth = { type: "m.login.dummy", session: challenge.body.session };
    return ok(await call("POST", "/_matrix/client/v3/register", { body: { username, password, auth } }), "register");
}

/** `loops` closed loops claiming one key of `owner`'s device each, for `seconds`. */
async function claimLoad(claimers, owner, seconds, seen) {
    const latencies = [];
    let fallbacks = 0;
    let duplicates = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const body = { one_time_keys: { [owner.user_id]: { [owner.device_id]: "signed_curve25519" } } };
    await Promise.all(claimers.map(async (c) => {
        while (performance.now() < deadline) {
            const t0 = performance.now();
            const res = ok(await call("POST", "/_matrix/client/v3/keys/claim", { token: c.access_token, body }), "claim");
            latencies.push(performance.now() - t0);
            const id = Object.keys(res.one_time_keys[owner.user_id][owner.device_id])[0];
            if (id.endsWith(":FALLBACK")) fallbacks++;
            else if (seen.has(id)) duplicates++;
            else seen.add(id);
        }
    }));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { ok: latencies.length, rate: latencies.length / elapsed, p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99), fallbacks, duplicates };
}

const PG_SCHEMA = `
CREATE TABLE one_time_keys (user_id TEXT NOT NULL, device_id TEXT NOT NULL, algorithm TEXT NOT NULL, key_id TEXT NOT NULL,
    key_json TEXT NOT NULL, PRIMARY KEY (user_id, device_id, algorithm, key_id));
INSERT INTO one_time_keys SELECT '@owner:localhost', 'DEVICE', 'signed_curve25519', lpad(i::text, 8, '0'),
    '{"key":"' || md5(i::text) || md5(random()::text) || '","signatures":{"@owner:localhost":{"ed25519:DEVICE":"'
    || repeat(md5(random()::text), 3) || '"}}}' FROM generate_series(1, ${POOL * 4}) i;
`;
/** The claim statement Myelin runs (OneTimeKeyRepository), for one device. */
const PG_CLAIM = `WITH picked AS (SELECT user_id, device_id, algorithm, key_id FROM one_time_keys
    WHERE user_id = '@owner:localhost' AND device_id = 'DEVICE' AND algorithm = 'signed_curve25519'
    ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED)
DELETE FROM one_time_keys o USING picked p WHERE o.user_id = p.user_id AND o.device_id = p.device_id
    AND o.algorithm = p.algorithm AND o.key_id = p.key_id RETURNING o.key_id, o.key_json;
`;

function pgbench(database, workDir) {
    const file = path.join(workDir, "claim.sql");
    writeFileSync(file, PG_CLAIM);
    const logPrefix = path.join(workDir, "log");
    const args = ["-n", "-f", file, "-c", String(CLAIMERS), "-j", "2", "-T", String(SECONDS), "-l",
        `--log-prefix=${logPrefix}`, "-h", dbServer.host, "-p", String(dbServer.port), "-U", dbServer.user, database];
    return new Promise((resolve, reject) => {
        const child = spawn("pgbench", args, { env: { ...process.env, PGPASSWORD: dbServer.password ?? "" } });
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (out += c));
        child.on("error", reject);
        child.on("exit", (code) => {
            if (code !== 0) return reject(new Error(`pgbench exited ${code}:\n${out}`));
            const latencies = [];
            for (const f of readdirSync(workDir).filter((n) => n.startsWith("log"))) {
                for (const line of readFileSync(path.join(workDir, f), "utf8").split("\n")) {
                    const us = Number(line.split(" ")[2]);
                    if (line && Number.isFinite(us)) latencies.push(us / 1000);
                }
            }
            latencies.sort((a, b) => a - b);
            resolve({ ok: latencies.length, rate: Number(out.match(/tps = ([\d.]+) \(without initial/)?.[1]),
                p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) });
        });
    });
}

async function main() {
    process.env.MYELIN_RATELIMIT_REGISTER_PER_SECOND = "1000";
    process.env.MYELIN_RATELIMIT_REGISTER_BURST = "1000";
    process.env.MYELIN_TEST_DB_URL = dbUrl.href;
    const admin = new pg.Client({ ...dbServer, database: "postgres" });
    await admin.connect();
    const loadAtStart = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    const server = await startServer();
    base = new URL(server.baseUrl);
    agent = new http.Agent({ keepAlive: true, maxSockets: CLAIMERS + 8 });
    const results = {};
    try {
        const owner = await register("owner");
        console.error(`# uploading ${POOL} one-time keys and a fallback key`);
        for (let i = 0; i < POOL; i += UPLOAD_BATCH) {
            const keys = {};
            for (let j = i; j < Math.min(POOL, i + UPLOAD_BATCH); j++) {
                keys[`signed_curve25519:${String(j).padStart(8, "0")}`] = { key: randomBytes(32).toString("base64") };
            }
            const body = { one_time_keys: keys };
            if (i === 0) body.fallback_keys = { "signed_curve25519:FALLBACK": { key: "fallback", fallback: true } };
            ok(await call("POST", "/_matrix/client/v3/keys/upload", { token: owner.access_token, body }), "upload");
        }
        const claimers = [];
        for (let i = 0; i < CLAIMERS; i++) claimers.push(await register(`claimer${i}`));
        const seen = new Set();
        console.error(`# warm-up ${WARMUP_SECONDS} s, then ${SECONDS} s of ${CLAIMERS} claimers`);
        await claimLoad(claimers, owner, WARMUP_SECONDS, seen);
        results.myelin = await claimLoad(claimers, owner, SECONDS, seen);
    } finally {
        agent.destroy();
        await server.stop();
    }
    const database = `myelin_bench_claims_${randomBytes(4).toString("hex")}`;
    const workDir = mkdtempSync(path.join(os.tmpdir(), "myelin-bench-claims-"));
    await admin.query(`CREATE DATABASE ${database}`);
    try {
        const c = new pg.Client({ ...dbServer, database });
        await c.connect();
        await c.query(PG_SCHEMA);
        await c.end();
        console.error(`# pgbench: the claim statement, -c ${CLAIMERS}, ${SECONDS} s`);
        results.pgbench = await pgbench(database, workDir);
    } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        rmSync(workDir, { recursive: true, force: true });
        await admin.end();
    }
    const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");
    const m = results.myelin;
    const p = results.pgbench;
    console.log([
        `Machine: ${os.cpus().length} × ${os.cpus()[0].model}; load average ${loadAtStart} at start, ` +
            `${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at the end; Node ${process.version}.`,
        `${SECONDS} s per run, ${CLAIMERS} concurrent closed loops, one device's pool of ${POOL} one-time keys.`,
        "",
        "| run | concurrency | claims | claims/s | p50 ms | p99 ms | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        `| Myelin POST /keys/claim | ${CLAIMERS} | ${m.ok} | ${fmt(m.rate, 0)} | ${fmt(m.p50, 2)} | ${fmt(m.p99, 2)} | ` +
            `${m.duplicates} keys handed out twice, ${m.fallbacks} fallback answers |`,
        `| pgbench: the claim statement alone | ${CLAIMERS} | ${p.ok} | ${fmt(p.rate, 0)} | ${fmt(p.p50, 2)} | ` +
            `${fmt(p.p99, 2)} | one statement per transaction |`,
    ].join("\n"));
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
