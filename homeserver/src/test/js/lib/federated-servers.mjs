// Several Myelin homeservers that federate with each other over TLS on loopback (not nodes of one
// homeserver: each has its own database, data dir, signing key, server name and certificate).
//
// Server i is named `localhost:<its federation port>`, so the others reach it at that explicit port
// (the spec's name resolution, step 2) and check its certificate for `localhost`. The certificates
// are made with openssl before the servers start; all of them, concatenated, are the CA file every
// server trusts, so each server verifies the others' TLS for real. The outbound guard lets them
// reach loopback, as a test deployment must list it.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort, startServer } from "./server.mjs";

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

/**
 * Starts `count` federating servers (in parallel) and resolves to { servers, stop() }: `servers[i]`
 * is what startServer resolves to ({ baseUrl, serverName, federationUrl, logFile, ... }); stop()
 * stops them all and removes the certificates. `env` is extra environment for every server.
 */
export async function startFederatedServers(count = 2, { env = {} } = {}) {
    const tlsDir = mkdtempSync(path.join(os.tmpdir(), "myelin-federation-tls-"));
    const started = [];
    const stop = async () => {
        const results = await Promise.allSettled(started.map((server) => server.stop()));
        rmSync(tlsDir, { recursive: true, force: true });
        const errors = results.filter((r) => r.status === "rejected").map((r) => r.reason);
        if (errors.length) throw new AggregateError(errors, "stopping the federated servers failed");
    };
    try {
        const ports = await distinctFreePorts(count);
        const certificates = await Promise.all(ports.map((port) => makeCertificate(tlsDir, `server-${port}`)));
        const caFile = path.join(tlsDir, "federation-ca.pem");
        writeFileSync(caFile, certificates.map(({ certificate }) => readFileSync(certificate, "utf8")).join(""));
        const results = await Promise.allSettled(ports.map((port, i) => startServer({
            serverName: `localhost:${port}`,
            federationPort: port,
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
                ...env,
            },
        })));
        for (const r of results) if (r.status === "fulfilled") started.push(r.value);
        const failed = results.find((r) => r.status === "rejected");
        if (failed) throw failed.reason;
        return { servers: started, stop };
    } catch (e) {
        await stop().catch((c) => console.error(c));
        throw e;
    }
}
