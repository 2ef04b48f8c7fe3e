// Benchmark (not a test; nothing under test/ imports it): a Myelin server joins a large room over federation, run
// through homeserver/bench/large-room-join.sh.
//
// A stub resident server in this process (TLS on loopback, its certificate trusted by Myelin through
// MYELIN_FEDERATION_CA_FILE) holds a generated room version 10 room of BENCH_MEMBERS joined members from
// BENCH_SERVERS servers. Each of those servers is a name `localhost:<port>` of its own, with its own Ed25519 key
// published at /_matrix/key/v2/server on that port, and signs its users' member events; the room's creator is on
// the first. The room (content hashes, signatures, event IDs, all per the spec) is generated before anything is
// timed. The stub answers make_join and send_join v2 (the whole state and its auth chain), and accepts what Myelin
// sends afterwards (transactions, device list and key queries) with empty answers.
//
// First, untimed against the target, a warm-up join of a room of BENCH_WARMUP_MEMBERS members of the resident's
// own server, so that the JIT has compiled the paths a join takes (in a fresh JVM the C2 compiler alone burns more
// CPU during the first large join than the join's own threads), as on a server that has been up a while.
// Timed: POST /join on Myelin from the request to its 200, and to the room's first appearance in a /sync
// long-poll (members lazily loaded, as Element asks) that was waiting before the join. Sampled meanwhile: the
// JVM's heap in use (jstat -gc, every 200 ms; the peak), its resident set, and the CPU of the JVM and of its
// PostgreSQL backends. Baseline of the same run: verifying the room's signatures and content hashes once each in
// one thread of this process (node:crypto), and inserting as many rows of the events' JSON into a fresh PostgreSQL
// table (1,000 rows a statement).

import { execFile, spawn } from "node:child_process";
import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";
import { benchClient, cpuSeconds, fmt, rssMiB, startBenchServer, uptime } from "../lib/bench.mjs";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 30_000);
const WARMUP_MEMBERS = Number(process.env.BENCH_WARMUP_MEMBERS ?? 3_000);
const SERVERS = Number(process.env.BENCH_SERVERS ?? 300);
const HEAP = process.env.BENCH_HEAP ?? "1g";
const JOIN_TIMEOUT_MS = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 600_000);
const TARGET_SECONDS = 30;
const TARGET_HEAP_MIB = 1024;
const VERSION = "10";
const run = promisify(execFile);
/** As clients such as Element ask: members lazily loaded, so the room's first /sync is not its 30,000 members. */
const SYNC_FILTER = JSON.stringify({ room: { state: { lazy_load_members: true }, timeline: { limit: 10 } } });

// ---- Matrix event plumbing: canonical JSON, hashes, redaction (room version 10), signatures -------------------

function canonical(value) {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
}

const unpadded = (buffer) => buffer.toString("base64").replace(/=+$/, "");
const urlSafe = (buffer) => buffer.toString("base64url");

const KEPT_TOP = ["event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
    "prev_events", "auth_events", "origin_server_ts", "origin", "membership", "prev_state"];
const KEPT_CONTENT = {
    "m.room.member": ["membership", "join_authorised_via_users_server"],
    "m.room.create": ["creator"],
    "m.room.join_rules": ["join_rule", "allow"],
    "m.room.power_levels": ["ban", "events", "events_default", "kick", "redact", "state_default", "users",
        "users_default"],
    "m.room.history_visibility": ["history_visibility"],
};

function redacted(event) {
    const out = {};
    for (const k of KEPT_TOP) if (k in event) out[k] = event[k];
    const kept = KEPT_CONTENT[event.type] ?? [];
    out.content = Object.fromEntries(Object.entries(event.content ?? {}).filter(([k]) => kept.includes(k)));
    return out;
}

function withoutSignatures(event) {
    const { signatures, unsigned, ...rest } = event;
    return rest;
}

/** The event with its content hash and `server`'s signature; its event ID (room version 4 and later) beside it. */
function finish(event, server) {
    const { unsigned, signatures, hashes, ...hashed } = event;
    const full = { ...hashed, hashes: { sha256: unpadded(createHash("sha256").update(canonical(hashed)).digest()) } };
    const signature = sign(null, Buffer.from(canonical(withoutSignatures(redacted(full)))), server.privateKey);
    full.signatures = { [server.name]: { [server.keyId]: unpadded(signature) } };
    const reference = createHash("sha256").update(canonical(withoutSignatures(redacted(full)))).digest();
    return { event: full, eventId: `$${urlSafe(reference)}` };
}

/** What Myelin checks of each event, done once in this thread: the content hash and the signature. */
function check(event, keysByServer) {
    const { unsigned, signatures, hashes, ...hashed } = event;
    if (unpadded(createHash("sha256").update(canonical(hashed)).digest()) !== hashes.sha256) {
        throw new Error("content hash mismatch");
    }
    const bytes = Buffer.from(canonical(withoutSignatures(redacted(event))));
    for (const [name, sigs] of Object.entries(signatures)) {
        for (const [keyId, sig] of Object.entries(sigs)) {
            if (!verify(null, bytes, keysByServer.get(name).publicKey, Buffer.from(sig, "base64"))) {
                throw new Error(`bad signature of ${name} ${keyId}`);
            }
        }
    }
}

function makeServer(port) {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const raw = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
    return { name: `localhost:${port}`, port, keyId: "ed25519:bench", privateKey, publicKey,
        publicBase64: unpadded(raw) };
}

function keyDocument(server) {
    const doc = {
        server_name: server.name,
        valid_until_ts: Date.now() + 24 * 3600 * 1000,
        verify_keys: { [server.keyId]: { key: server.publicBase64 } },
        old_verify_keys: {},
    };
    const signature = sign(null, Buffer.from(canonical(doc)), server.privateKey);
    return { ...doc, signatures: { [server.name]: { [server.keyId]: unpadded(signature) } } };
}

/** The room: create, the creator's join, power levels, public join rules, shared history, then the members. */
function generateRoom(resident, memberServers, members, tag) {
    const creator = `@creator:${resident.name}`;
    const roomId = `!${tag}${Date.now().toString(36)}:${resident.name}`;
    const state = [];
    let prev = [];
    let depth = 0;
    const ts = Date.now() - 3600_000;
    const add = (server, fields, authEvents) => {
        depth += 1;
        const { event, eventId } = finish({
            room_id: roomId, origin: server.name, origin_server_ts: ts + depth, depth, prev_events: prev,
            auth_events: authEvents, ...fields,
        }, server);
        state.push(event);
        prev = [eventId];
        return eventId;
    };
    const create = add(resident, { type: "m.room.create", state_key: "", sender: creator,
        content: { creator, room_version: VERSION } }, []);
    const creatorJoin = add(resident, { type: "m.room.member", state_key: creator, sender: creator,
        content: { membership: "join", displayname: "creator" } }, [create]);
    const power = add(resident, { type: "m.room.power_levels", state_key: "", sender: creator,
        content: { users: { [creator]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50,
            kick: 50, redact: 50, invite: 0, events: {} } }, [create, creatorJoin]);
    const joinRules = add(resident, { type: "m.room.join_rules", state_key: "", sender: creator,
        content: { join_rule: "public" } }, [create, creatorJoin, power]);
    add(resident, { type: "m.room.history_visibility", state_key: "", sender: creator,
        content: { history_visibility: "shared" } }, [create, creatorJoin, power]);
    const authChain = state.slice(0, 4);
    for (let i = 0; i < members; i++) {
        const server = memberServers[i % memberServers.length];
        const user = `@member${i}:${server.name}`;
        add(server, { type: "m.room.member", state_key: user, sender: user,
            content: { membership: "join", displayname: `Member ${i}` } }, [create, power, joinRules]);
    }
    return { roomId, state, authChain, create, power, joinRules, prev: () => prev, depth: () => depth };
}

// ---- the stub resident ------------------------------------------------------------------------------------------

function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}

function answer(res, status, body) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
}

async function startStub(servers, rooms, tls, requests) {
    const sendJoinBodies = new Map();
    const handler = (server) => async (req, res) => {
        const url = new URL(req.url, "https://localhost");
        const route = url.pathname;
        requests.set(route.split("/").slice(0, 5).join("/"), (requests.get(route.split("/").slice(0, 5).join("/"))
            ?? 0) + 1);
        try {
            if (route === "/_matrix/key/v2/server") return answer(res, 200, keyDocument(server));
            const room = rooms.get(decodeURIComponent(route.split("/")[5] ?? ""));
            if (route.startsWith("/_matrix/federation/v1/make_join/") && server === servers[0] && room) {
                const userId = decodeURIComponent(route.split("/")[6]);
                return answer(res, 200, { room_version: VERSION, event: {
                    type: "m.room.member", state_key: userId, sender: userId, room_id: room.roomId,
                    content: { membership: "join" }, depth: room.depth() + 1, prev_events: room.prev(),
                    auth_events: [room.create, room.power, room.joinRules], origin_server_ts: Date.now(),
                    origin: servers[0].name } });
            }
            if (route.startsWith("/_matrix/federation/v2/send_join/") && server === servers[0] && room) {
                await readBody(req);
                if (!sendJoinBodies.has(room.roomId)) {
                    sendJoinBodies.set(room.roomId, JSON.stringify({ origin: servers[0].name, members_omitted: false,
                        state: room.state, auth_chain: room.authChain }));
                }
                return answer(res, 200, sendJoinBodies.get(room.roomId));
            }
            if (req.method === "PUT" && route.startsWith("/_matrix/federation/v1/send/")) {
                await readBody(req);
                return answer(res, 200, { pdus: {} });
            }
            if (route === "/_matrix/federation/v1/user/keys/query") {
                await readBody(req);
                return answer(res, 200, { device_keys: {}, master_keys: {}, self_signing_keys: {} });
            }
            if (route.startsWith("/_matrix/federation/v1/user/devices/")) {
                return answer(res, 200, { user_id: decodeURIComponent(route.split("/")[6]), stream_id: 0, devices: [] });
            }
            await readBody(req);
            return answer(res, 404, { errcode: "M_UNRECOGNIZED", error: "not in this stub" });
        } catch (e) {
            return answer(res, 500, { errcode: "M_UNKNOWN", error: e.message });
        }
    };
    const listeners = await Promise.all(servers.map((server) => new Promise((resolve, reject) => {
        const srv = https.createServer({ key: tls.key, cert: tls.cert }, handler(server));
        srv.on("error", reject);
        srv.listen(server.port, "127.0.0.1", () => resolve(srv));
    })));
    return { close: () => Promise.all(listeners.map((l) => new Promise((r) => { l.closeAllConnections(); l.close(r); }))) };
}

/** `count` distinct free ports, held open until all are found so none repeats. */
async function freePorts(count) {
    const net = await import("node:net");
    const held = [];
    for (let i = 0; i < count; i++) {
        held.push(await new Promise((resolve, reject) => {
            const srv = net.createServer();
            srv.on("error", reject);
            srv.listen(0, "127.0.0.1", () => resolve(srv));
        }));
    }
    const ports = held.map((s) => s.address().port);
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    return ports;
}

// ---- measurements -----------------------------------------------------------------------------------------------

/** Samples the JVM's heap in use (MiB) with jstat every 200 ms; stop() resolves to the peak. */
function heapSampler(pid) {
    const child = spawn("jstat", ["-gc", String(pid), "200"], { stdio: ["ignore", "pipe", "ignore"] });
    let header = null;
    let peak = 0;
    let partial = "";
    child.stdout.on("data", (chunk) => {
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop();
        for (const line of lines) {
            const cols = line.trim().split(/\s+/);
            if (cols[0] === "S0C") {
                header = cols;
                continue;
            }
            if (!header) continue;
            const v = (name) => Number(cols[header.indexOf(name)]);
            const usedKb = v("S0U") + v("S1U") + v("EU") + v("OU");
            if (Number.isFinite(usedKb)) peak = Math.max(peak, usedKb / 1024);
        }
    });
    return { stop: () => { child.kill(); return peak; } };
}

function rssSampler(pid) {
    let peak = rssMiB(pid);
    const timer = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 200);
    return { stop: () => { clearInterval(timer); return peak; } };
}

async function backendPids(dbUrl) {
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
        const { rows } = await db.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        return rows.map((r) => r.pid);
    } finally {
        await db.end();
    }
}

const sumCpu = (pids) => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);

/** One row per event (its ID and JSON) into a fresh temporary table, 1,000 rows a statement, one transaction. */
async function insertBaseline(dbUrl, events) {
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
        await db.query("CREATE TEMPORARY TABLE bench_rows (event_id TEXT PRIMARY KEY, json TEXT NOT NULL)");
        const started = performance.now();
        await db.query("BEGIN");
        for (let i = 0; i < events.length; i += 1000) {
            const part = events.slice(i, i + 1000);
            await db.query("INSERT INTO bench_rows SELECT * FROM unnest($1::text[], $2::text[])",
                [part.map((e) => e[0]), part.map((e) => e[1])]);
        }
        await db.query("COMMIT");
        return (performance.now() - started) / 1000;
    } finally {
        await db.end();
    }
}

// ---- the run ----------------------------------------------------------------------------------------------------

const tlsDir = mkdtempSync(path.join(os.tmpdir(), "myelin-bigjoin-"));
let server = null;
let stub = null;
try {
    const cert = path.join(tlsDir, "stub.crt");
    const key = path.join(tlsDir, "stub.key");
    await run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", key, "-out", cert]);
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };

    console.error(`# generating a room of ${MEMBERS} members on ${SERVERS} servers`);
    const ports = await freePorts(SERVERS + 2);
    const servers = ports.slice(0, SERVERS + 1).map(makeServer); // [0] is the resident, the creator's server
    let t = performance.now();
    const room = generateRoom(servers[0], servers.slice(1), MEMBERS, "bench");
    const warmupRoom = generateRoom(servers[0], [servers[0]], WARMUP_MEMBERS, "warmup");
    const generateSeconds = (performance.now() - t) / 1000;
    const sendJoinBytes = Buffer.byteLength(JSON.stringify({ state: room.state, auth_chain: room.authChain }));
    console.error(`# generated ${room.state.length} state events in ${fmt(generateSeconds)} s ` +
        `(send_join answer ${fmt(sendJoinBytes / 1048576)} MiB)`);

    console.error("# baseline: checking every event's content hash and signature once, in one thread");
    const keysByServer = new Map(servers.map((s) => [s.name, s]));
    t = performance.now();
    for (const event of room.state) check(event, keysByServer);
    const checkSeconds = (performance.now() - t) / 1000;

    const requests = new Map();
    stub = await startStub(servers, new Map([[room.roomId, room], [warmupRoom.roomId, warmupRoom]]), tls, requests);
    const myelinFederationPort = ports[SERVERS + 1];
    process.env.JAVA_TOOL_OPTIONS = `${process.env.JAVA_TOOL_OPTIONS ?? ""} -Xmx${HEAP}`.trim();
    server = await startBenchServer({
        serverName: `localhost:${myelinFederationPort}`,
        federationPort: myelinFederationPort,
        env: {
            MYELIN_FEDERATION_LISTEN_ADDRESS: "127.0.0.1",
            MYELIN_TLS_CERTIFICATE: cert,
            MYELIN_TLS_PRIVATE_KEY: key,
            MYELIN_FEDERATION_CA_FILE: cert,
            MYELIN_OUTBOUND_ALLOWED_CIDRS: "127.0.0.0/8,::1/128",
        },
    });
    console.error(`# Myelin up (pid ${server.pid}, -Xmx${HEAP}, log ${server.logFile ?? "?"})`);

    const insertSeconds = await insertBaseline(server.settings.dbUrl,
        room.state.map((e) => [`$copy${e.depth}`, JSON.stringify(e)]));

    const client = benchClient(server);
    const join = (roomId, token) => client.call("POST",
        `/_matrix/client/v3/join/${encodeURIComponent(roomId)}?server_name=${encodeURIComponent(servers[0].name)}`,
        { token, body: {}, timeoutMs: JOIN_TIMEOUT_MS });
    console.error(`# warm-up: joining a room of ${WARMUP_MEMBERS} members of the resident's own server`);
    const warmupUser = await client.account("warmup");
    const warmupStarted = performance.now();
    const warmupCpu = cpuSeconds(server.pid);
    const warmup = await join(warmupRoom.roomId, warmupUser.token);
    const warmupSeconds = (warmup.at - warmupStarted) / 1000;
    const warmupCpuSeconds = cpuSeconds(server.pid) - warmupCpu;
    const user = await client.account("joiner");
    const first = await client.call("GET", `/_matrix/client/v3/sync?timeout=0&filter=${encodeURIComponent(SYNC_FILTER)}`,
        { token: user.token });
    const pids = await backendPids(server.settings.dbUrl);
    const cpuBefore = { jvm: cpuSeconds(server.pid), pg: sumCpu(pids) };
    const heap = heapSampler(server.pid);
    const rss = rssSampler(server.pid);
    const rssBefore = rssMiB(server.pid);

    console.error(`# ${uptime()}`);
    console.error("# joining");
    const started = performance.now();
    let syncedAt = null;
    let syncAsked = null;
    let syncs = 0;
    const synced = (async () => {
        let since = first.body.next_batch;
        while (syncedAt === null && performance.now() - started < JOIN_TIMEOUT_MS) {
            const asked = performance.now();
            syncs++;
            const { body, at } = await client.call("GET",
                `/_matrix/client/v3/sync?timeout=30000&filter=${encodeURIComponent(SYNC_FILTER)}&since=${encodeURIComponent(since)}`,
                { token: user.token, timeoutMs: JOIN_TIMEOUT_MS });
            since = body.next_batch;
            if (body.rooms?.join?.[room.roomId]) {
                syncedAt = at;
                syncAsked = asked;
            }
        }
    })();
    synced.catch(() => {}); // awaited below, after the join; a failed join stops the server under it

    const joined = await join(room.roomId, user.token);
    const joinedSeconds = (joined.at - started) / 1000;
    await synced;
    const syncSeconds = syncedAt === null ? NaN : (syncedAt - started) / 1000;
    const peakHeap = heap.stop();
    const peakRss = rss.stop();
    // PostgreSQL may be short of connections on a shared machine: then only the backends seen before the join count.
    const later = await backendPids(server.settings.dbUrl).catch(() => []);
    const allPids = [...new Set([...pids, ...later])];
    const cpu = { jvm: cpuSeconds(server.pid) - cpuBefore.jvm, pg: sumCpu(allPids) - cpuBefore.pg };
    const load = uptime();

    const ok = (v, target) => (Number.isFinite(v) && v <= target ? "met" : "MISSED");
    console.log(`## Federation: joining a room of ${MEMBERS} members on ${SERVERS} servers (room version ${VERSION})\n`);
    console.log(`Load: ${load}`);
    console.log(`Myelin: -Xmx${HEAP}; send_join answer: ${room.state.length} state events, ${room.authChain.length} ` +
        `in the auth chain, ${fmt(sendJoinBytes / 1048576)} MiB\n`);
    console.log("| measure | Myelin | target |");
    console.log("| --- | ---: | ---: |");
    console.log(`| POST /join until 200 | ${fmt(joinedSeconds)} s | < ${TARGET_SECONDS} s (${ok(joinedSeconds, TARGET_SECONDS)}) |`);
    console.log(`| POST /join until the room is in /sync | ${fmt(syncSeconds)} s | < ${TARGET_SECONDS} s (${ok(syncSeconds, TARGET_SECONDS)}) |`);
    console.log(`| … the /sync that brought it: asked at / answered after | ${fmt((syncAsked - started) / 1000)} s / ${fmt((syncedAt - syncAsked) / 1000)} s (${syncs} long-polls in all) | |`);
    console.log(`| peak heap in use (jstat, 200 ms samples) | ${fmt(peakHeap)} MiB | < ${TARGET_HEAP_MIB} MiB (${ok(peakHeap, TARGET_HEAP_MIB)}) |`);
    console.log(`| resident set: before the join / peak | ${fmt(rssBefore)} / ${fmt(peakRss)} MiB | |`);
    console.log(`| CPU during the join: JVM / PostgreSQL backends | ${fmt(cpu.jvm)} / ${fmt(cpu.pg)} s | |`);
    console.log(`| warm-up before it (fresh JVM): joining ${warmupRoom.state.length} state events, until 200 / JVM CPU | ${fmt(warmupSeconds)} s / ${fmt(warmupCpuSeconds)} s | |`);
    console.log("\n| baseline, same run | seconds |");
    console.log("| --- | ---: |");
    console.log(`| content hash + Ed25519 signature of all ${room.state.length} events, one thread (node:crypto) | ${fmt(checkSeconds)} |`);
    console.log(`| INSERT … unnest of ${room.state.length} rows (ID, JSON) into one PostgreSQL table, 1,000 a statement, one transaction | ${fmt(insertSeconds)} |`);
    console.log(`\nStub requests: ${[...requests].map(([k, v]) => `${k} ×${v}`).join(", ")}`);
} finally {
    await stub?.close();
    await server?.stop().catch((e) => console.error(e));
    rmSync(tlsDir, { recursive: true, force: true });
}
