// What the benchmarks in bench/ share: a Myelin started for one run (registration rate limits raised, stopped on
// an interrupt), a JSON client for it, accounts, ANALYZE, and nearest-rank percentiles.

import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startServer } from "./server.mjs";

/** Starts the packaged jar for a benchmark run; an interrupt stops it. */
export async function startBenchServer(options = {}) {
    process.env.MYELIN_RATELIMIT_REGISTER_PER_SECOND = "1000";
    process.env.MYELIN_RATELIMIT_REGISTER_BURST = "1000";
    const server = await startServer(options);
    for (const signal of ["SIGINT", "SIGTERM"]) {
        process.once(signal, () => server.stop().finally(() => process.exit(130)));
    }
    return server;
}

/**
 * A JSON client of `server`: `call` answers { status, body, bytes, at } (`at`: when the answer was read) and throws
 * on a status of 300 or more other than 401 (a UIA challenge); `account` registers a user (dummy auth).
 */
export function benchClient(server) {
    const runId = randomBytes(3).toString("hex");
    async function call(method, path, { token, body, timeoutMs = 60_000 } = {}) {
        const headers = { Accept: "application/json" };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const res = await fetch(`${server.baseUrl}${path}`, { method, headers, signal: AbortSignal.timeout(timeoutMs),
            body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await res.text();
        const at = performance.now();
        if (res.status >= 300 && res.status !== 401) {
            throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
        }
        return { status: res.status, body: JSON.parse(text), bytes: Buffer.byteLength(text), at };
    }
    async function account(name) {
        const username = `${name}_${runId}`;
        const password = randomBytes(12).toString("hex");
        const challenge = await call("POST", "/_matrix/client/v3/register", { body: { username, password } });
        const auth = { type: "m.login.dummy", session: challenge.body.session };
        const { body } = await call("POST", "/_matrix/client/v3/register", { body: { username, password, auth } });
        return { userId: body.user_id, deviceId: body.device_id, token: body.access_token };
    }
    return { call, account };
}

/**
 * ANALYZE the server's database, as autovacuum would soon after a burst of seeding writes: test clusters often run
 * without it, and plans made from the statistics of an empty database are not what a server that has been up sees.
 */
export async function analyze(server) {
    if (!server.settings.dbUrl) return;
    const db = new pg.Client({ connectionString: server.settings.dbUrl });
    await db.connect();
    try {
        await db.query("ANALYZE");
    } finally {
        await db.end();
    }
}

/** Nearest-rank percentiles p50, p90 and p99 of `values`, with their maximum and count. */
export function stats(values) {
    const s = [...values].sort((a, b) => a - b);
    const at = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1], n: s.length };
}

export const fmt = (v) => (Number.isFinite(v) ? v.toFixed(1) : "–");

/** The machine's load as `uptime` prints it. */
export function uptime() {
    try {
        return execFileSync("uptime").toString().trim();
    } catch {
        return os.loadavg().join(" ");
    }
}

/** utime + stime of a process, in seconds (from /proc, whose clock ticks 100 times a second); null if it is gone. */
export function cpuSeconds(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
        return null;
    }
}

/** The resident set of a process, in MiB; NaN if it is gone. */
export function rssMiB(pid) {
    try {
        const m = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
        return m ? Number(m[1]) / 1024 : NaN;
    } catch {
        return NaN;
    }
}
