// Starts the packaged Myelin jar on a fresh database and stops it again.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, rmSync, createWriteStream } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const SUITE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SERVER_NAME = "localhost";
/** Set by run.mjs, which starts one server for all test files. */
export const SHARED_BASE_URL_ENV = "MYELIN_TEST_BASE_URL";
export const SHARED_SERVER_NAME_ENV = "MYELIN_TEST_SERVER_NAME";
/** Set by run.mjs too: the shared server's federation listener, https://127.0.0.1:<port>. */
export const SHARED_FEDERATION_URL_ENV = "MYELIN_TEST_FEDERATION_URL";
/**
 * Set by run.mjs too: the shared server's `settings` (see startServer) as JSON, so a test can start
 * a second node of the same homeserver with startServer({ join: settings }).
 */
export const SHARED_SETTINGS_ENV = "MYELIN_TEST_SERVER_SETTINGS";
/** Set by run.mjs instead when the server did not start; its output was printed there. */
export const SHARED_START_ERROR_ENV = "MYELIN_TEST_SERVER_START_ERROR";
/** Set by run.mjs: a folder where each file of federated scenarios leaves the operations its traffic exercised. */
export const FEDERATION_COVERAGE_DIR_ENV = "MYELIN_FEDERATION_COVERAGE_DIR";
/** How long a start may take; MYELIN_READY_TIMEOUT_MS raises it on a machine loaded by other jobs. */
const READY_TIMEOUT_MS = Number(process.env.MYELIN_READY_TIMEOUT_MS) || 120_000;
const STOP_TIMEOUT_MS = 30_000;
const TAIL_LINES = 200;

export function jarPath() {
    return process.env.MYELIN_JAR
        ? path.resolve(process.env.MYELIN_JAR)
        : path.resolve(SUITE_DIR, "../../../target/homeserver.jar");
}

export async function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/** `postgresql://user[:pass]@host[:port]` -> connection facts. */
function parsePgUrl(url) {
    const u = new URL(url);
    if (u.protocol !== "postgresql:" && u.protocol !== "postgres:") {
        throw new Error(`MYELIN_TEST_DB_URL must be postgresql://user:pass@host:port, got ${url}`);
    }
    return {
        host: u.hostname,
        port: u.port ? Number(u.port) : 5432,
        user: decodeURIComponent(u.username || "postgres"),
        password: decodeURIComponent(u.password),
    };
}

function myelinDbUrl({ host, port, user, password }, database) {
    const auth = encodeURIComponent(user) + (password ? `:${encodeURIComponent(password)}` : "");
    return `postgresql://${auth}@${host}:${port}/${database}`;
}

async function adminQuery(server, sql) {
    const client = new pg.Client({ ...server, password: server.password || undefined, database: "postgres" });
    await client.connect();
    try {
        return await client.query(sql);
    } finally {
        await client.end();
    }
}

/**
 * MYELIN_TEST_DB_URL if set (it must work); else 127.0.0.1:5432 as postgres if it answers;
 * else null, and the jar starts its own embedded PostgreSQL.
 */
async function chooseDatabaseServer() {
    if (process.env.MYELIN_TEST_DB_URL) {
        const server = parsePgUrl(process.env.MYELIN_TEST_DB_URL);
        await adminQuery(server, "SELECT 1");
        return server;
    }
    const local = { host: "127.0.0.1", port: 5432, user: "postgres", password: "" };
    try {
        await adminQuery(local, "SELECT 1");
        return local;
    } catch (e) {
        console.error(`# no usable PostgreSQL at 127.0.0.1:5432 (${e.code ?? e.message}); Myelin uses its embedded one`);
        return null;
    }
}

class OutputTail {
    constructor(logFile) {
        this.lines = [];
        this.partial = "";
        this.log = createWriteStream(logFile);
    }

    push(chunk) {
        this.log.write(chunk);
        const parts = (this.partial + chunk.toString("utf8")).split("\n");
        this.partial = parts.pop();
        this.lines.push(...parts);
        if (this.lines.length > TAIL_LINES) this.lines.splice(0, this.lines.length - TAIL_LINES);
    }

    text() {
        return [...this.lines, this.partial].join("\n");
    }
}

async function waitUntilReady(baseUrl, child, tail) {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = "no answer yet";
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(
                `Myelin exited (code ${child.exitCode}, signal ${child.signalCode}) before answering /versions\n` +
                    `--- server output (tail) ---\n${tail.text()}`,
            );
        }
        try {
            const res = await fetch(`${baseUrl}/_matrix/client/versions`, { signal: AbortSignal.timeout(5000) });
            if (res.status === 200) {
                await res.arrayBuffer();
                return;
            }
            last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
        } catch (e) {
            last = e.cause?.code ?? e.message;
        }
        await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(
        `Myelin did not answer GET /_matrix/client/versions with 200 within ${READY_TIMEOUT_MS / 1000} s ` +
            `(last: ${last})\n--- server output (tail) ---\n${tail.text()}`,
    );
}

/**
 * Starts Myelin. Resolves to { baseUrl, serverName, pid, settings, stop() }; stop() kills the
 * server, waits for it to exit, drops the database (unless it joined another node's) and removes
 * the data directory.
 *
 * `env`: extra environment for the server (e.g. a raised rate limit), on top of the defaults.
 * `join`: the `settings` of a running server: start a second node of that homeserver instead,
 * on the same database (never dropped by this node) with the same registration and TURN
 * settings and the same extra env, its own ports and data dir, and a copy of the first node's
 * `signing.key` (each node would otherwise generate its own key into its data dir, and events
 * made on the two nodes would be signed by two keys of one server name); `ownSigningKey: true`
 * leaves that out, to see what a node with its own key does.
 * `serverName` and `federationPort` replace `localhost` and a free port, for a server other
 * servers federate with (lib/federated-servers.mjs: `localhost:<federationPort>`); not with `join`.
 * `settings` is { serverName, dbUrl (null for the embedded PostgreSQL, which cannot be
 * shared), dataDir, env }: what a joining node needs; plain JSON, so run.mjs can pass it on.
 */
export async function startServer({
    env: extraEnv = {},
    join = null,
    ownSigningKey = false,
    serverName: ownServerName = SERVER_NAME,
    federationPort: ownFederationPort = null,
} = {}) {
    if (join && (ownServerName !== SERVER_NAME || ownFederationPort !== null)) {
        throw new Error("a second node has the first node's server name and its own free federation port");
    }
    if (join && !join.dbUrl) {
        throw new Error("a second node needs the first node's database, but it runs on its embedded PostgreSQL " +
            "(set MYELIN_TEST_DB_URL or run a PostgreSQL on 127.0.0.1:5432)");
    }
    const jar = jarPath();
    if (!existsSync(jar)) {
        throw new Error(`Myelin jar not found at ${jar} (build it with mvn -B package -DskipTests, or set MYELIN_JAR)`);
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "myelin-interop-"));
    // Run a private copy: a Maven rebuild replacing the jar mid-run breaks lazy class loading.
    const jarDir = mkdtempSync(path.join(os.tmpdir(), "myelin-interop-jar-"));
    const jarCopy = path.join(jarDir, "homeserver.jar");
    let database = null;
    const cleanups = [];
    const cleanup = async () => {
        const errors = [];
        for (const fn of cleanups.reverse()) {
            try {
                await fn();
            } catch (e) {
                errors.push(e);
            }
        }
        cleanups.length = 0;
        if (errors.length) throw new AggregateError(errors, "cleanup after Myelin failed");
    };
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    cleanups.push(() => rmSync(jarDir, { recursive: true, force: true }));
    try {
        copyFileSync(jar, jarCopy);
        if (join && !ownSigningKey) copyFileSync(path.join(join.dataDir, "signing.key"), path.join(dataDir, "signing.key"));
        const dbServer = join ? null : await chooseDatabaseServer();
        if (dbServer) {
            database = `myelin_interop_${randomBytes(6).toString("hex")}`;
            await adminQuery(dbServer, `CREATE DATABASE ${database}`);
            cleanups.push(() => adminQuery(dbServer, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
        }
        const [clientPort, managementPort] = [await freePort(), await freePort()];
        const federationPort = ownFederationPort ?? (await freePort());
        // What a second node of this homeserver must share with this one.
        const shared = join?.env ?? {
            MYELIN_REGISTRATION: "open",
            MYELIN_REGISTRATION_SHARED_SECRET: randomBytes(16).toString("hex"),
            MYELIN_TURN_ENABLED: "false",
            MYELIN_GUEST_ACCESS: "true",
            // Push gateways and other servers the scenarios start run on loopback (never anything else).
            MYELIN_OUTBOUND_ALLOWED_CIDRS: "127.0.0.0/8,::1/128",
            ...extraEnv,
        };
        const env = {
            ...process.env,
            ...shared,
            ...(join ? extraEnv : {}),
            MYELIN_SERVER_NAME: join?.serverName ?? ownServerName,
            MYELIN_CLIENT_PORT: String(clientPort),
            MYELIN_MANAGEMENT_PORT: String(managementPort),
            MYELIN_FEDERATION_PORT: String(federationPort),
            MYELIN_DATA_DIR: dataDir,
        };
        const dbUrl = join ? join.dbUrl : dbServer ? myelinDbUrl(dbServer, database) : null;
        if (dbUrl) env.MYELIN_DB_URL = dbUrl;
        else delete env.MYELIN_DB_URL;

        const logFile = path.join(os.tmpdir(), `${path.basename(dataDir)}.log`);
        const tail = new OutputTail(logFile);
        const child = spawn("java", ["-jar", jarCopy], { env, stdio: ["ignore", "pipe", "pipe"] });
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.stdout.on("data", (c) => tail.push(c));
        child.stderr.on("data", (c) => tail.push(c));
        child.once("error", (e) => tail.push(Buffer.from(`spawn error: ${e.message}\n`)));
        cleanups.push(async () => {
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGTERM");
                const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
                await exited;
                clearTimeout(timer);
            }
            tail.log.end();
        });

        const baseUrl = `http://127.0.0.1:${clientPort}`;
        const dbName = join ? `${new URL(dbUrl).host}${new URL(dbUrl).pathname} (joined)`
            : database ? `${dbServer.host}:${dbServer.port}/${database}` : "embedded";
        console.error(`# Myelin ${jar} on ${baseUrl}, data ${dataDir}, database ${dbName}, log ${logFile}`);
        await waitUntilReady(baseUrl, child, tail);
        const serverName = env.MYELIN_SERVER_NAME;
        return {
            baseUrl,
            /** The management listener (health, /actuator/prometheus). */
            managementUrl: `http://127.0.0.1:${managementPort}`,
            federationUrl: `https://127.0.0.1:${federationPort}`,
            serverName,
            pid: child.pid,
            logFile,
            settings: { serverName, dbUrl, dataDir, env: { ...shared, ...(join ? extraEnv : {}) } },
            stop: cleanup,
        };
    } catch (e) {
        await cleanup().catch((c) => console.error(c));
        throw e;
    }
}
