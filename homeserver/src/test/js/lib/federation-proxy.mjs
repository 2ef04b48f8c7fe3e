// A recording, validating TLS proxy in front of a Myelin federation listener (lib/federated-servers.mjs puts one
// in front of each server). The server's name is `localhost:<proxy port>`, so every other server reaches it
// through the proxy (the spec's explicit-port name resolution); the proxy presents the server's certificate,
// forwards each request over TLS (verified against the test CA) to the real listener and its answer back, and then
// checks the exchange with lib/federation-check.mjs: the request is what one Myelin sends, the answer what another
// gives. Bodies are buffered whole (federation has no streaming endpoint the scenarios use; media are small).

import https from "node:https";
import { readFileSync } from "node:fs";
import { FederationChecker } from "./federation-check.mjs";

const UPSTREAM_TIMEOUT_MS = 120_000;
/** Hop-by-hop headers (RFC 9110 section 7.6.1) and the framing the proxy redoes for a buffered body. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
    "trailer", "content-length"]);
const MAX_BODY_CHARS = 2000;

function forwardable(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function truncate(text) {
    return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)` : text;
}

function isText(headers) {
    return /^(application\/json|text\/)/i.test(headers["content-type"] ?? "");
}

/**
 * All federation traffic of a set of servers: each exchange, the problems found, and the operations it covered.
 * `keys(serverName)` as for FederationChecker.
 */
export class FederationTraffic {
    constructor(spec, { keys }) {
        this.spec = spec;
        this.checker = new FederationChecker(spec, { keys });
        this.exchanges = [];
        /** Problems not yet reported by takeViolations(). */
        this.pending = [];
        /** operationId -> Map(status -> count). */
        this.coverage = new Map();
        /**
         * The checks, one after the other in the order the exchanges ended (signature verification may wait for
         * keys), so what one teaches the checker (a room's version from make_join) is known to the next.
         */
        this.queue = Promise.resolve();
    }

    record(exchange) {
        this.queue = this.queue.then(() => this.checker.check(exchange)).then(({ operationId, problems }) => {
            const entry = { ...exchange, operationId, problems };
            this.exchanges.push(entry);
            const key = operationId ?? `(not in the spec) ${exchange.method} ${new URL(exchange.target, "https://x").pathname}`;
            const statuses = this.coverage.get(key) ?? new Map();
            statuses.set(exchange.status, (statuses.get(exchange.status) ?? 0) + 1);
            this.coverage.set(key, statuses);
            if (problems.length) this.pending.push(entry);
        }, (e) => {
            this.pending.push({ ...exchange, problems: [{ direction: "check", pointer: "", message: `checker failed: ${e.stack}` }] });
        });
    }

    /** Waits for the checks of the exchanges so far. */
    async settled() {
        await this.queue;
    }

    /** The exchanges with problems since the last call, formatted ("" when none), and forgets them. */
    async takeViolations() {
        await this.settled();
        const entries = this.pending.splice(0);
        return entries.map(FederationTraffic.format).join("\n");
    }

    static format(x) {
        const lines = [`${x.origin ?? "?"} -> ${x.destination}: ${x.method} ${x.target} -> ${x.status}${x.operationId ? ` (${x.operationId})` : ""}`];
        for (const p of x.problems) {
            const who = p.direction === "request" ? `request sent by ${x.origin ?? "?"}` : p.direction === "response"
                ? `response given by ${x.destination}` : p.direction;
            lines.push(`  PROBLEM [${p.operationId ?? x.operationId ?? "?"}, ${who}] at ${JSON.stringify(p.pointer)}: ${p.message}`);
        }
        if (x.requestText) lines.push(`  request body: ${truncate(x.requestText)}`);
        lines.push(`  response body: ${truncate(x.responseText)}`);
        return lines.join("\n");
    }

    /** Which operations of the server-server API the traffic exercised (with its statuses) and which it did not. */
    formatCoverage() {
        const all = [...new Set(this.spec.federationOperations.map((op) => op.operationId))];
        const statuses = (id) => [...this.coverage.get(id)].map(([s, n]) => `${s}×${n}`).join(" ");
        const covered = all.filter((id) => this.coverage.has(id)).map((id) => `${id} (${statuses(id)})`);
        const missing = all.filter((id) => !this.coverage.has(id));
        const outside = [...this.coverage.keys()].filter((id) => !all.includes(id)).map((id) => `${id} (${statuses(id)})`);
        const lines = [`federation operations exercised (${covered.length} of ${all.length}): ${covered.join(", ")}`,
            `not exercised: ${missing.join(", ") || "none"}`];
        if (outside.length) lines.push(`requests outside the spec: ${outside.join(", ")}`);
        const { pdus, pdusOfUnknownVersion, unknownVersionRooms, edus } = this.checker.counts;
        const unknown = unknownVersionRooms.size ? `: ${[...unknownVersionRooms].join(", ")}` : "";
        lines.push(`PDUs checked against their room version's definition: ${pdus} (${pdusOfUnknownVersion} of rooms whose `
            + `version the traffic did not show${unknown}); EDUs: ${[...edus].map(([type, n]) => `${type}×${n}`).join(", ") || "none"}`);
        return lines.join("\n");
    }

    /** The operationIds exercised, for a summary across files. */
    coveredOperations() {
        return [...this.coverage.keys()];
    }
}

/**
 * Starts a proxy on 127.0.0.1:`port` for the server named `serverName` whose real federation listener is
 * 127.0.0.1:`targetPort`. TLS: `certificate`/`privateKey` files towards callers; the upstream certificate is
 * verified against `caFile` for the name `localhost`. Resolves to { port, refuse(predicate), close() }.
 */
export async function startFederationProxy({ traffic, serverName, port, targetPort, certificate, privateKey, caFile }) {
    const agent = new https.Agent({ keepAlive: true, ca: readFileSync(caFile), servername: "localhost" });
    let refusing = null;
    const server = https.createServer({ cert: readFileSync(certificate), key: readFileSync(privateKey) }, (req, res) => {
        const origin = /origin="?([^",]+)/.exec(req.headers.authorization ?? "")?.[1];
        if (refusing?.({ origin, method: req.method, path: req.url })) {
            // An outage the scenario makes: the proxy's own answer, neither forwarded nor checked.
            req.resume();
            res.writeHead(503, { "content-type": "application/json" });
            res.end(JSON.stringify({ errcode: "M_UNKNOWN", error: "refused by the test's federation proxy" }));
            return;
        }
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("error", () => res.destroy());
        req.on("end", () => {
            const requestBytes = Buffer.concat(chunks);
            const upstream = https.request({
                host: "127.0.0.1",
                port: targetPort,
                method: req.method,
                path: req.url,
                headers: { ...forwardable(req.headers), "content-length": requestBytes.length },
                agent,
                timeout: UPSTREAM_TIMEOUT_MS,
            }, (up) => {
                const parts = [];
                up.on("data", (c) => parts.push(c));
                up.on("error", () => res.destroy());
                up.on("end", () => {
                    const responseBytes = Buffer.concat(parts);
                    res.writeHead(up.statusCode, { ...forwardable(up.headers), "content-length": responseBytes.length });
                    res.end(responseBytes);
                    traffic.record({
                        origin,
                        destination: serverName,
                        method: req.method,
                        target: req.url,
                        headers: req.headers,
                        requestText: requestBytes.toString("utf8"),
                        status: up.statusCode,
                        responseHeaders: up.headers,
                        responseText: isText(up.headers) ? responseBytes.toString("utf8") : `<${responseBytes.length} bytes of ${up.headers["content-type"]}>`,
                    });
                });
            });
            upstream.on("timeout", () => upstream.destroy(new Error(`no answer from the real listener in ${UPSTREAM_TIMEOUT_MS} ms`)));
            upstream.on("error", (e) => {
                if (!res.headersSent) {
                    res.writeHead(502, { "content-type": "application/json" });
                    res.end(JSON.stringify({ errcode: "M_UNKNOWN", error: `proxy: ${e.message}` }));
                }
                console.error(`# federation proxy for ${serverName}: ${req.method} ${req.url}: ${e.message}`);
            });
            upstream.end(requestBytes);
        });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
    });
    return {
        port,
        /**
         * Answers 503 without forwarding each request for which `predicate({ origin, method, path })` holds (an
         * outage of this server as other servers see it), until `refuse(null)`.
         */
        refuse(predicate) {
            refusing = predicate;
        },
        close: () => new Promise((resolve) => {
            server.closeAllConnections?.();
            server.close(() => resolve());
            agent.destroy();
        }),
    };
}
