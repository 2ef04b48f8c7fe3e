// Several Myelin homeservers that federate with each other over TLS on loopback (not nodes of one
// homeserver: each has its own database, data dir, signing key, server name and certificate).
//
// Server i is named `localhost:<its federation port>`, so the others reach it at that explicit port
// (the spec's name resolution, step 2) and check its certificate for `localhost`. The certificates
// are made with openssl before the servers start; all of them, concatenated, are the CA file every
// server trusts, so each server verifies the others' TLS for real. The outbound guard lets them
// reach loopback, as a test deployment must list it.
//
// By default a validating proxy (lib/federation-proxy.mjs) sits in front of each server's federation listener:
// the port in the server's name is the proxy's, the real listener has another one, so every request one server
// sends another and every answer it gets is checked against the server-server OpenAPI files (`traffic`).

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import https from "node:https";
import { FederationTraffic, startFederationProxy } from "./federation-proxy.mjs";
import { freePort, startServer } from "./server.mjs";
import { loadSpec } from "./spec.mjs";

const run = promisify(execFile);

/** A self-signed certificate for `localhost` and 127.0.0.1, valid for two days; resolves to its files. */
async function makeCertificate(dir, name) {
    const certificate = path.join(dir, `${name}.crt`);
    const privateKey = path.join(dir, `${name}.key`);
    await run("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", privateKey, "-out", certificate,
    ]);
    return { certificate, privateKey };
}

/** `count` distinct free ports. */
async function distinctFreePorts(count) {
    const ports = new Set();
    while (ports.size < count) ports.add(await freePort());
    return [...ports];
}

/** Resolves to the parsed JSON of GET `url` over TLS verified against `ca`. */
function getJson(url, ca) {
    return new Promise((resolve, reject) => {
        const req = https.get(url, { ca, servername: "localhost", timeout: 10_000 }, (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
                try {
                    resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")));
                } catch (e) {
                    reject(e);
                }
            });
            res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`no answer from ${url}`)));
        req.on("error", reject);
    });
}

/**
 * Starts `count` federating servers (in parallel) and resolves to { servers, traffic, stop() }: `servers[i]`
 * is what startServer resolves to ({ baseUrl, serverName, federationUrl, logFile, ... }; federationUrl is the
 * proxy, listenerUrl the real listener, proxy its handle, whose refuse() makes an outage); `traffic` the FederationTraffic of all proxies (null with
 * `proxies: false`, which names each server after its real listener instead); stop() stops them all and removes
 * the certificates. `env` is extra environment for every server.
 */
export async function startFederatedServers(count = 2, { env = {}, proxies = true } = {}) {
    const tlsDir = mkdtempSync(path.join(os.tmpdir(), "myelin-federation-tls-"));
    const started = [];
    const proxyHandles = [];
    const stop = async () => {
        const results = await Promise.allSettled([
            ...started.map((server) => server.stop()),
            ...proxyHandles.map((proxy) => proxy.close()),
        ]);
        rmSync(tlsDir, { recursive: true, force: true });
        const errors = results.filter((r) => r.status === "rejected").map((r) => r.reason);
        if (errors.length) throw new AggregateError(errors, "stopping the federated servers failed");
    };
    try {
        const allPorts = await distinctFreePorts(proxies ? 2 * count : count);
        const ports = allPorts.slice(0, count); // in the server names
        const listenerPorts = proxies ? allPorts.slice(count) : ports;
        const certificates = await Promise.all(ports.map((port) => makeCertificate(tlsDir, `server-${port}`)));
        const caFile = path.join(tlsDir, "federation-ca.pem");
        writeFileSync(caFile, certificates.map(({ certificate }) => readFileSync(certificate, "utf8")).join(""));
        let traffic = null;
        if (proxies) {
            const ca = readFileSync(caFile);
            const keyCache = new Map();
            const keys = async (serverName) => {
                const i = ports.findIndex((port) => `localhost:${port}` === serverName);
                if (i < 0) return null;
                if (!keyCache.has(serverName)) {
                    const body = await getJson(`https://127.0.0.1:${listenerPorts[i]}/_matrix/key/v2/server`, ca);
                    const all = { ...body.old_verify_keys, ...body.verify_keys };
                    keyCache.set(serverName, Object.fromEntries(Object.entries(all).map(([id, k]) => [id, k.key])));
                }
                return keyCache.get(serverName);
            };
            traffic = new FederationTraffic(loadSpec(), { keys });
            for (let i = 0; i < count; i++) {
                proxyHandles.push(await startFederationProxy({
                    traffic,
                    serverName: `localhost:${ports[i]}`,
                    port: ports[i],
                    targetPort: listenerPorts[i],
                    certificate: certificates[i].certificate,
                    privateKey: certificates[i].privateKey,
                    caFile,
                }));
            }
        }
        const results = await Promise.allSettled(ports.map((port, i) => startServer({
            serverName: `localhost:${port}`,
            federationPort: listenerPorts[i],
            env: {
                MYELIN_FEDERATION_LISTEN_ADDRESS: "127.0.0.1",
                MYELIN_TLS_CERTIFICATE: certificates[i].certificate,
                MYELIN_TLS_PRIVATE_KEY: certificates[i].privateKey,
                MYELIN_FEDERATION_CA_FILE: caFile,
                MYELIN_OUTBOUND_ALLOWED_CIDRS: "127.0.0.0/8,::1/128",
                // Each scenario registers fresh users on every server, all from 127.0.0.1.
                MYELIN_RATELIMIT_REGISTER_PER_SECOND: "1000",
                MYELIN_RATELIMIT_REGISTER_BURST: "1000",
                MYELIN_RATELIMIT_LOGIN_PER_SECOND: "1000",
                MYELIN_RATELIMIT_LOGIN_BURST: "1000",
                // Three servers at the default pool (20, plus one LISTEN connection each) hold 63 of a stock
                // PostgreSQL's 100 connections; a scenario needs far fewer.
                MYELIN_DB_POOL_MAX_SIZE: "10",
                ...env,
            },
        })));
        for (const r of results) if (r.status === "fulfilled") started.push(r.value);
        const failed = results.find((r) => r.status === "rejected");
        if (failed) throw failed.reason;
        const servers = started.map((server, i) => (proxies ? {
            ...server,
            listenerUrl: server.federationUrl,
            federationUrl: `https://127.0.0.1:${ports[i]}`,
            proxy: proxyHandles[i],
        } : server));
        return { servers, traffic, stop };
    } catch (e) {
        await stop().catch((c) => console.error(c));
        throw e;
    }
}
