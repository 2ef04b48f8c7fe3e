// Shared harness for scenario files: one Myelin per run (or per file when a file is run on
// its own), matrix-js-sdk clients whose every response is checked against the spec, and a
// `scenario` wrapper that fails a test on any spec violation and prints the last exchanges.
//
// A scenario file looks like:
//
//   const hs = useHomeserver();
//   hs.scenario("what it checks", async (ctx) => {
//       const alice = await ctx.registerUser("alice");
//       ...
//   });

import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { createClient, MatrixError } from "matrix-js-sdk";
import {
    SHARED_BASE_URL_ENV,
    SHARED_SERVER_NAME_ENV,
    SHARED_FEDERATION_URL_ENV,
    SHARED_SETTINGS_ENV,
    SHARED_START_ERROR_ENV,
    FEDERATION_COVERAGE_DIR_ENV,
    startServer,
} from "./server.mjs";
import { browserLikeFetch } from "./browser-fetch.mjs";
import { startFederatedServers } from "./federated-servers.mjs";
import { loadSpec } from "./spec.mjs";
import { Recorder, createValidatedFetch } from "./validated-fetch.mjs";

const quietLogger = {
    trace() {},
    debug() {},
    info() {},
    warn: (...msg) => console.error("[matrix-js-sdk]", ...msg),
    error: (...msg) => console.error("[matrix-js-sdk]", ...msg),
    getChild() {
        return quietLogger;
    },
};

export function uniqueLocalpart(prefix) {
    return `${prefix}_${randomBytes(5).toString("hex")}`;
}

/** Asserts that `promise` rejects with a Matrix error of the given HTTP status and errcode. */
export async function expectMatrixError(promise, status, errcode) {
    let error;
    try {
        const value = await promise;
        assert.fail(`expected ${status} ${errcode}, but the request succeeded with ${JSON.stringify(value)}`);
    } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        error = e;
    }
    assert.ok(error instanceof MatrixError, `expected a MatrixError, got ${error?.stack ?? error}`);
    assert.equal(error.httpStatus, status, `HTTP status of ${error.message}`);
    assert.equal(error.errcode, errcode, `errcode of ${error.message}`);
    return error;
}

/** A request unanswered this long is a hang, not slowness (the SDK's localTimeoutMs). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Per scenario; leaves room for a few rate-limit waits. */
const SCENARIO_TIMEOUT_MS = 180_000;
const MAX_RATE_LIMIT_RETRIES = 5;
const MAX_RATE_LIMIT_WAIT_MS = 20_000;

/**
 * Retries a 429 M_LIMIT_EXCEEDED after the `retry_after_ms` the server asked for (or its
 * Retry-After header), as a well-behaved client does. Every attempt, the 429s included, goes
 * through (and is checked by) `fetchFn`.
 */
function respectingRateLimits(fetchFn) {
    return async function rateLimitAwareFetch(resource, init) {
        for (let attempt = 0; ; attempt++) {
            const res = await fetchFn(resource, init);
            if (res.status !== 429 || attempt === MAX_RATE_LIMIT_RETRIES) return res;
            let waitMs = Number(res.headers.get("retry-after")) * 1000 || 1000;
            try {
                const body = await res.clone().json();
                if (Number.isFinite(body.retry_after_ms)) waitMs = body.retry_after_ms;
            } catch {
                // no JSON body: the validator has recorded that; fall back to the header
            }
            await new Promise((r) => setTimeout(r, Math.min(Math.max(waitMs, 0), MAX_RATE_LIMIT_WAIT_MS)));
        }
    };
}

class ScenarioContext {
    constructor(hs) {
        this.hs = hs;
        this.recorder = new Recorder();
        /** Every client this scenario made; their sync loops are stopped when it ends. */
        this.clients = [];
        /** What the browser-like fetch did (pre-flights counted). */
        this.browser = { preflights: 0 };
        this.fetch = respectingRateLimits(
            createValidatedFetch({ spec: hs.spec, recorder: this.recorder, fetchImpl: browserLikeFetch(this.browser) }),
        );
    }

    /** A matrix-js-sdk client whose requests go through the validated fetch. */
    client(opts = {}) {
        const client = createClient({
            baseUrl: this.hs.baseUrl,
            fetchFn: this.fetch,
            logger: quietLogger,
            localTimeoutMs: REQUEST_TIMEOUT_MS,
            ...opts,
        });
        this.clients.push(client);
        return client;
    }

    /** Stops every sync loop this scenario started (a failed scenario leaves them running). */
    stopClients() {
        for (const client of this.clients) {
            try {
                client.stopClient();
            } catch (e) {
                console.error("stopClient failed:", e);
            }
        }
    }

    /**
     * A direct request through the same validated fetch, for what the SDK does not expose.
     * `unspecifiedEndpoint: true` marks a deliberate request to an endpoint not in the spec.
     * `baseUrl` sends it to another node (hs.startNode()) instead of the homeserver's first.
     * Resolves to { status, body } (body parsed as JSON when it is JSON).
     */
    async request(method, path, { accessToken, body, unspecifiedEndpoint = false, baseUrl = this.hs.baseUrl } = {}) {
        const fetchFn = unspecifiedEndpoint
            ? respectingRateLimits(
                  createValidatedFetch({
                      spec: this.hs.spec,
                      recorder: this.recorder,
                      unspecifiedEndpoint,
                      fetchImpl: browserLikeFetch(this.browser),
                  }),
              )
            : this.fetch;
        const headers = { Accept: "application/json" };
        if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
        if (body !== undefined) headers["Content-Type"] = "application/json";
        const res = await fetchFn(`${baseUrl}${path}`, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        let parsed = text;
        try {
            parsed = JSON.parse(text);
        } catch {
            // left as text; the validator has already recorded a non-JSON body where JSON was due
        }
        return { status: res.status, body: parsed };
    }

    /**
     * Registers a fresh account the way a client does: POST /register without auth (401 UIA
     * challenge), then again with m.login.dummy and the session. Returns the credentials and
     * a logged-in client. `baseUrl` registers through (and binds the client to) another node.
     */
    async registerUser(prefix, { password = `pw-${randomBytes(8).toString("hex")}`, baseUrl, ...extra } = {}) {
        const username = uniqueLocalpart(prefix);
        const node = baseUrl ? { baseUrl } : {};
        const anonymous = this.client(node);
        const challenge = await expectMatrixError(anonymous.registerRequest({ username, password, ...extra }), 401, undefined);
        const session = challenge.data.session;
        assert.equal(typeof session, "string", `UIA challenge without session: ${JSON.stringify(challenge.data)}`);
        const response = await anonymous.registerRequest({
            username,
            password,
            ...extra,
            auth: { type: "m.login.dummy", session },
        });
        const client = this.client({
            ...node,
            userId: response.user_id,
            deviceId: response.device_id,
            accessToken: response.access_token,
            refreshToken: response.refresh_token,
        });
        return { username, password, challenge: challenge.data, response, client, userId: response.user_id };
    }
}

/**
 * matrix-js-sdk arms a timer for every request's local timeout (110 s for a /sync long-poll,
 * localTimeoutMs otherwise) and never clears it, stopClient() included, so a file whose clients
 * synced would outlive its scenarios by up to two minutes. Timers of REQUEST_TIMEOUT_MS or more
 * are tracked from useHomeserver() on and cleared once the file's scenarios are over; nothing
 * changes while they run.
 */
const lingeringTimers = new Set();
function trackLongTimers() {
    if (globalThis.setTimeout.trackedByHarness) return;
    const realSetTimeout = globalThis.setTimeout;
    const tracked = function setTimeout(fn, ms, ...args) {
        if (typeof fn !== "function" || !(Number(ms) >= REQUEST_TIMEOUT_MS)) return realSetTimeout(fn, ms, ...args);
        const timer = realSetTimeout((...a) => {
            lingeringTimers.delete(timer);
            fn(...a);
        }, ms, ...args);
        lingeringTimers.add(timer);
        return timer;
    };
    Object.defineProperties(tracked, Object.getOwnPropertyDescriptors(realSetTimeout)); // util.promisify.custom
    tracked.trackedByHarness = true;
    globalThis.setTimeout = tracked;
}

function clearLingeringTimers() {
    for (const timer of lingeringTimers) clearTimeout(timer);
    lingeringTimers.clear();
}

/**
 * A node:test test running `fn(ctx, t)` with a fresh ScenarioContext on `hs`: it fails on any spec
 * violation, and a failure prints the violations and the last exchanges.
 */
function scenario(hs, name, fn) {
    return test(name, { timeout: SCENARIO_TIMEOUT_MS }, async (t) => {
        const ctx = new ScenarioContext(hs);
        let failure;
        try {
            await fn(ctx, t);
        } catch (e) {
            failure = e;
        }
        ctx.stopClients();
        const limited = ctx.recorder.exchanges.filter((x) => x.status === 429).length;
        t.diagnostic(`${ctx.recorder.exchanges.length} responses checked against the spec, ${limited} of them 429`);
        const violations = ctx.recorder.formatViolations();
        const federation = (await hs.federationTraffic?.takeViolations()) ?? "";
        if (failure) {
            const spec = violations ? `\n--- spec violations ---\n${violations}` : "";
            const between = federation ? `\n--- federation spec violations ---\n${federation}` : "";
            const transcript = `\n--- last exchanges ---\n${ctx.recorder.formatTranscript()}`;
            failure.message = `${failure.message}${spec}${between}${transcript}`;
            throw failure;
        }
        if (violations) {
            assert.fail(`responses that do not match the v1.19 OpenAPI schemas:\n${violations}`);
        }
        if (federation) {
            assert.fail(`federation requests or responses that do not match the v1.19 server-server OpenAPI schemas:\n${federation}`);
        }
    });
}

/**
 * Call once at the top of a scenario file. Uses the server run.mjs started, or starts one
 * for this file alone. `fn` of a scenario gets (ctx, t), t being node:test's context.
 */
export function useHomeserver() {
    trackLongTimers();
    const sharedSettings = process.env[SHARED_SETTINGS_ENV];
    const nodes = [];
    const hs = {
        spec: loadSpec(),
        baseUrl: process.env[SHARED_BASE_URL_ENV],
        serverName: process.env[SHARED_SERVER_NAME_ENV],
        /** The federation listener (TLS with a self-signed certificate). */
        federationUrl: process.env[SHARED_FEDERATION_URL_ENV],
        /** What a second node needs (see startServer in server.mjs). */
        settings: sharedSettings ? JSON.parse(sharedSettings) : null,
        server: null,
        /**
         * Starts another node of this homeserver (same database, signing key and settings; its
         * own ports and data dir) and resolves to it ({ baseUrl, pid, stop(), ... }). It is
         * stopped after the file's scenarios, before the first node; `stop()` ends it earlier.
         * Rejects when the first node runs on its embedded PostgreSQL (nothing to share).
         */
        async startNode({ env, ownSigningKey } = {}) {
            const node = await startServer({ join: hs.settings, env, ownSigningKey });
            nodes.push(node);
            return node;
        },
        scenario(name, fn) {
            return scenario(hs, name, fn);
        },
    };
    before(async () => {
        if (process.env[SHARED_START_ERROR_ENV]) {
            throw new Error(`Myelin did not start (output above): ${process.env[SHARED_START_ERROR_ENV]}`);
        }
        if (hs.baseUrl) return;
        hs.server = await startServer();
        hs.baseUrl = hs.server.baseUrl;
        hs.serverName = hs.server.serverName;
        hs.federationUrl = hs.server.federationUrl;
        hs.settings = hs.server.settings;
    });
    after(async () => {
        // The other nodes first: the first node's stop() drops the database they share.
        for (const node of nodes.splice(0).reverse()) {
            try {
                await node.stop();
            } catch (e) {
                console.error(e);
            }
        }
        await hs.server?.stop();
        clearLingeringTimers();
    });
    return hs;
}

function writeFederationCoverage(traffic) {
    const dir = process.env[FEDERATION_COVERAGE_DIR_ENV];
    if (!dir) return;
    const all = [...new Set(traffic.spec.federationOperations.map((op) => op.operationId))];
    writeFileSync(path.join(dir, `${process.pid}-${randomBytes(4).toString("hex")}.json`),
        JSON.stringify({ all, covered: traffic.coveredOperations() }));
}

/**
 * Call once at the top of a file of scenarios across homeservers: starts `count` servers that
 * federate with each other (lib/federated-servers.mjs) for this file, also under `npm test` (the
 * shared server, named plain `localhost`, cannot be reached by name from another server), and
 * stops them after its scenarios. `hs.servers[i]` is { baseUrl, serverName, federationUrl, ... };
 * scenarios pass `baseUrl` to ctx.client(), ctx.registerUser() and ctx.request() to pick one (the
 * default is the first); `env` is extra environment for every server. A validating proxy sits in front of each federation listener
 * (lib/federation-proxy.mjs): a scenario also fails on a federation request or answer between the servers that
 * does not match the server-server OpenAPI files, and the file prints the operations its traffic exercised.
 */
export function useFederatedHomeservers(count = 2, { env = {} } = {}) {
    trackLongTimers();
    let federation = null;
    const hs = {
        spec: loadSpec(),
        servers: [],
        baseUrl: undefined,
        scenario(name, fn) {
            return scenario(hs, name, fn);
        },
    };
    before(async () => {
        federation = await startFederatedServers(count, { env });
        hs.servers.push(...federation.servers);
        hs.baseUrl = hs.servers[0].baseUrl;
        hs.federationTraffic = federation.traffic;
    });
    after(async () => {
        // What crossed after the last scenario ended (deliveries still under way) is checked too.
        const late = (await hs.federationTraffic?.takeViolations()) ?? "";
        await federation?.stop();
        clearLingeringTimers();
        if (hs.federationTraffic) {
            console.log(hs.federationTraffic.formatCoverage());
            writeFederationCoverage(hs.federationTraffic);
        }
        if (late) {
            assert.fail(`federation requests or responses after the last scenario that do not match the v1.19 server-server OpenAPI schemas:\n${late}`);
        }
    });
    return hs;
}
