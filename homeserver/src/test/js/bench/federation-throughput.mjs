// Benchmark (not a test; nothing under test/ imports it): federation between two Myelin servers on loopback (own
// databases, signing keys, certificates; TLS verified), run through homeserver/bench/federation-throughput.sh.
//
//   latency     one user on A sends BENCH_LATENCY messages one after another into a room that a user on B is in;
//               per message: from the send's start to its arrival in the /sync long-poll of the reader on B, and,
//               as the baseline of the same run, to its arrival in the long-poll of a reader on A itself
//   throughput  BENCH_SENDERS users on A send BENCH_MESSAGES messages in all, each in a closed loop; events/s
//               accepted by A, events/s arriving at the reader on B (and on A), the lag of the last one, and the CPU
//               of both JVMs and their PostgreSQL backends per delivered event; then B's /messages is read back
//               to check that every message arrived once, in each sender's order
//
// The CPU floor (one Ed25519 verification, one whole PDU check) is measured by bench/Ed25519Floor.java in the
// same run. Everything is bounded (counts from the environment, every request has a timeout), loopback only.

import { performance } from "node:perf_hooks";
import pg from "pg";
import { analyze, benchClient, cpuSeconds, fmt, rssMiB, stats, uptime } from "../lib/bench.mjs";
import { startFederatedServers } from "../lib/federated-servers.mjs";

const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const LATENCY = Number(process.env.BENCH_LATENCY ?? 100);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
/** How long one message may take to cross before the run gives up. */
const ARRIVAL_TIMEOUT_MS = 120_000;
const SYNC_FILTER = JSON.stringify({
    room: { timeline: { limit: 1000 }, state: { lazy_load_members: true } },
    presence: { types: [] },
    account_data: { types: [] },
});

/**
 * A user's /sync long-poll loop on one server: remembers when each message of `roomId` first arrived (the time its
 * response was read) and how many responses were `limited` (messages skipped over, which the read-back counts).
 */
function reader(client, user, roomId) {
    const arrivals = new Map();
    const waiters = new Map();
    let limited = 0;
    let running = true;
    let since = null;
    const loop = (async () => {
        while (running) {
            const query = new URLSearchParams({ filter: SYNC_FILTER, set_presence: "offline", timeout: "30000" });
            if (since) query.set("since", since);
            const { body, at } = await client.call("GET", `/_matrix/client/v3/sync?${query}`, {
                token: user.token, timeoutMs: 90_000 });
            since = body.next_batch;
            const timeline = body.rooms?.join?.[roomId]?.timeline;
            if (timeline?.limited) limited++;
            for (const event of timeline?.events ?? []) {
                if (event.type !== "m.room.message" || arrivals.has(event.event_id)) continue;
                arrivals.set(event.event_id, at);
                waiters.get(event.event_id)?.(at);
                waiters.delete(event.event_id);
            }
        }
    })();
    return {
        arrivals,
        limited: () => limited,
        /** Resolves with the arrival time of `eventId`. */
        arrival(eventId) {
            if (arrivals.has(eventId)) return Promise.resolve(arrivals.get(eventId));
            return new Promise((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`${eventId} did not arrive at ${user.userId}`)),
                    ARRIVAL_TIMEOUT_MS);
                waiters.set(eventId, (at) => {
                    clearTimeout(timer);
                    resolve(at);
                });
            });
        },
        async stop() {
            running = false;
            await loop.catch(() => {});
        },
    };
}

let txn = 0;
function send(client, user, roomId, body) {
    return client.call("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/b${txn++}`,
        { token: user.token, body: { msgtype: "m.text", body } });
}

/** CPU seconds of both JVMs and of the PostgreSQL backends serving their databases, read together. */
async function cpuSnapshot(admin, servers) {
    const databases = servers.map((s) => new URL(s.settings.dbUrl).pathname.slice(1));
    const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = ANY($1)", [databases]);
    return { jvm: servers.map((s) => cpuSeconds(s.pid)), pg: new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)])) };
}

function cpuSince(before, after) {
    let pgCpu = 0;
    for (const [pid, start] of before.pg) {
        const end = after.pg.get(pid) ?? cpuSeconds(pid);
        if (start !== null && end !== null) pgCpu += end - start;
    }
    return { jvm: after.jvm.map((end, i) => end - before.jvm[i]), pg: pgCpu };
}

async function latency(clientA, sender, roomId, readers) {
    const rows = { send: [], local: [], remote: [] };
    for (let i = 0; i < WARMUP + LATENCY; i++) {
        const start = performance.now();
        const { body, at } = await send(clientA, sender, roomId, `latency ${i}`);
        const [local, remote] = await Promise.all(readers.map((r) => r.arrival(body.event_id)));
        if (i < WARMUP) continue;
        rows.send.push(at - start);
        rows.local.push(local - start);
        rows.remote.push(remote - start);
    }
    return rows;
}

async function throughput(clientA, senders, roomId, readers, admin, servers) {
    const perSender = Math.ceil(MESSAGES / senders.length);
    const sent = senders.map(() => []);
    const cpu0 = await cpuSnapshot(admin, servers);
    const start = performance.now();
    let lastAccepted = start;
    await Promise.all(senders.map(async (user, s) => {
        for (let i = 0; i < perSender; i++) {
            const { body, at } = await send(clientA, user, roomId, `load ${s} ${i}`);
            sent[s].push(body.event_id);
            lastAccepted = Math.max(lastAccepted, at);
        }
    }));
    const ids = sent.flat();
    const [local, remote] = await Promise.all(readers.map((r) =>
        Promise.all(ids.map((id) => r.arrival(id))).then((times) => Math.max(...times))));
    const cpu = cpuSince(cpu0, await cpuSnapshot(admin, servers));
    return { sent, count: ids.length, start, lastAccepted, local, remote, cpu };
}

/** B's own copy of the room's messages, read back with /messages: each sent message once, in each sender's order. */
async function readBack(client, user, roomId, sent) {
    const received = [];
    let from = null;
    for (;;) {
        const query = new URLSearchParams({ dir: "b", limit: "1000" });
        if (from) query.set("from", from);
        const { body } = await client.call("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?${query}`,
            { token: user.token });
        for (const e of body.chunk) if (e.type === "m.room.message") received.push(e.event_id);
        if (!body.end || body.chunk.length === 0) break;
        from = body.end;
    }
    received.reverse();
    const position = new Map(received.map((id, i) => [id, i]));
    const all = sent.flat();
    const missing = all.filter((id) => !position.has(id)).length;
    const duplicates = received.length - new Set(received).size;
    const inOrder = sent.every((ids) => ids.every((id, i) => i === 0 || position.get(ids[i - 1]) < position.get(id)));
    return { missing, duplicates, inOrder };
}

async function main() {
    const loadStart = uptime();
    const started = performance.now();
    // Without the tests' validating proxies: the servers talk to each other directly, as deployed.
    const { servers, stop } = await startFederatedServers(2, { proxies: false, env: { MYELIN_DB_POOL_MAX_SIZE: "20" } });
    const admin = new pg.Client({ connectionString: servers[0].settings.dbUrl });
    let readers = [];
    try {
        await admin.connect();
        const [A, B] = servers;
        const [clientA, clientB] = [benchClient(A), benchClient(B)];
        const owner = await clientA.account("owner");
        const senders = await Promise.all(Array.from({ length: SENDERS }, (_, i) => clientA.account(`sender${i}`)));
        const [localReader, remoteReader] = [await clientA.account("reader_a"), await clientB.account("reader_b")];
        const { body: { room_id: roomId } } = await clientA.call("POST", "/_matrix/client/v3/createRoom",
            { token: owner.token, body: { preset: "public_chat", name: "federation throughput" } });
        for (const user of [...senders, localReader]) {
            await clientA.call("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { token: user.token, body: {} });
        }
        await clientB.call("POST", `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(A.serverName)}`,
            { token: remoteReader.token, body: {} });
        await Promise.all(servers.map(analyze));
        readers = [reader(clientA, localReader, roomId), reader(clientB, remoteReader, roomId)];
        console.error(`# latency: ${WARMUP} warm-up + ${LATENCY} messages, one at a time`);
        const lat = await latency(clientA, senders[0], roomId, readers);
        console.error(`# throughput: ${SENDERS} senders, ${MESSAGES} messages`);
        const load = await throughput(clientA, senders, roomId, readers, admin, servers);
        const check = await readBack(clientB, remoteReader, roomId, load.sent);
        const rss = servers.map((s) => rssMiB(s.pid));
        report({ lat, load, check, rss, limited: readers.map((r) => r.limited()), loadStart, loadEnd: uptime(),
            total: (performance.now() - started) / 1000 });
    } finally {
        await Promise.all(readers.map((r) => r.stop()));
        await admin.end().catch(() => {});
        await stop();
    }
}

function report({ lat, load, check, rss, limited, loadStart, loadEnd, total }) {
    const row = (cells) => console.log(`| ${cells.join(" | ")} |`);
    console.log(`\nFederation, two Myelin servers on loopback; load at start: ${loadStart}; at end: ${loadEnd}\n`);
    row(["latency, one message at a time", "runs", "p50 ms", "p90 ms", "p99 ms", "max ms"]);
    row(["---", "--:", "--:", "--:", "--:", "--:"]);
    for (const [name, values] of [["send on A (its 200)", lat.send], ["baseline: arrival at a reader on A", lat.local],
        ["arrival at a reader on B, over federation", lat.remote]]) {
        const s = stats(values);
        row([name, s.n, fmt(s.p50), fmt(s.p90), fmt(s.p99), fmt(s.max)]);
    }
    const seconds = (until) => (until - load.start) / 1000;
    const cpuMs = (s) => fmt((1000 * s) / load.count);
    console.log("");
    row(["throughput", "value"]);
    row(["---", "--:"]);
    row([`messages sent by ${SENDERS} senders on A`, load.count]);
    row(["accepted by A, events/s", fmt(load.count / seconds(load.lastAccepted))]);
    row(["baseline: arrived at the reader on A, events/s", fmt(load.count / seconds(load.local))]);
    row(["arrived at the reader on B, events/s", fmt(load.count / seconds(load.remote))]);
    row(["lag of the last message at B after A accepted it, ms", fmt(load.remote - load.lastAccepted)]);
    row(["CPU per delivered event, JVM A / JVM B / PostgreSQL (both), ms",
        `${cpuMs(load.cpu.jvm[0])} / ${cpuMs(load.cpu.jvm[1])} / ${cpuMs(load.cpu.pg)}`]);
    row(["/sync responses marked limited, reader A / reader B", `${limited[0]} / ${limited[1]}`]);
    row(["read back at B: missing / duplicated / in each sender's order",
        `${check.missing} / ${check.duplicates} / ${check.inOrder ? "yes" : "no"}`]);
    row(["RSS at the end, JVM A / JVM B, MiB", `${fmt(rss[0])} / ${fmt(rss[1])}`]);
    console.log(`\nwhole run ${fmt(total)} s`);
    if (check.missing || check.duplicates || !check.inOrder) process.exitCode = 1;
}

await main();
