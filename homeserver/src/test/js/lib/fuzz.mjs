// Malformed-request fuzzing of every client-server operation of the spec (test/fuzz.test.mjs).
//
// For each operation (path × method) of the OpenAPI files the generator makes a deterministic
// (seeded PRNG) set of malformed variants: wrong JSON types for body properties, huge arrays and
// strings, deep nesting, invalid JSON, empty bodies, wrong content types, lone UTF-16
// surrogates, bad path and query parameters and bad headers. The client sends them over
// kept-alive connections (node:http, as real clients do) with a per-request timeout, and
// `checkResponse` says what is wrong with an answer: a 5xx, a 4xx that is not a JSON Matrix
// error, a stack trace, an `error` that echoes a long piece of the input, or no answer at all.

import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expandExample, pointerGet } from "./spec.mjs";

export const DEFAULT_SEED = 20240611;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same request list. */
export function mulberry32(seed) {
    let a = seed >>> 0;
    return function next() {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class Rng {
    constructor(seed) {
        this.next = mulberry32(seed);
    }
    int(n) {
        return Math.floor(this.next() * n);
    }
    pick(arr) {
        return arr[this.int(arr.length)];
    }
    /** Up to `n` distinct elements, in a seeded order. */
    sample(arr, n) {
        const copy = [...arr];
        for (let i = copy.length - 1; i > 0; i--) {
            const j = this.int(i + 1);
            [copy[i], copy[j]] = [copy[j], copy[i]];
        }
        return copy.slice(0, n);
    }
    /** Random letters and digits: a long run of it in an answer can only be echoed input. */
    alnum(n) {
        const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let s = "";
        for (let i = 0; i < n; i++) s += chars[this.int(chars.length)];
        return s;
    }
}

// ---------------------------------------------------------------------------------------------
// The operations, with their parameters and request bodies resolved from the OpenAPI files.


/** Follows `$ref`s from `node` (found in `file`) to { file, node }. */
function deref(spec, file, node) {
    for (let hops = 0; node && typeof node === "object" && typeof node.$ref === "string"; hops++) {
        if (hops > 20) throw new Error(`$ref loop in ${file}`);
        const [target, fragment = ""] = node.$ref.split("#");
        if (target) file = path.resolve(path.dirname(file), target);
        node = fragment ? pointerGet(spec.docs.get(file), fragment) : spec.docs.get(file);
    }
    return { file, node };
}

/** A schema flattened enough to fuzz: { types, properties: {name: flat}, required, items }. */
function flatten(spec, file, schema, depth = 0) {
    const out = { types: new Set(), properties: {}, required: new Set() };
    if (depth > 6) return out;
    const r = deref(spec, file, schema);
    const s = r.node;
    if (!s || typeof s !== "object") return out;
    const parts = [s, ...(s.allOf ?? []), ...(s.oneOf ?? s.anyOf ?? []).slice(0, 1)];
    for (const part of parts) {
        const p = part === s ? s : deref(spec, r.file, part).node;
        const pf = part === s ? r.file : deref(spec, r.file, part).file;
        if (!p || typeof p !== "object") continue;
        if (part !== s) {
            const sub = flatten(spec, pf, part, depth + 1);
            sub.types.forEach((t) => out.types.add(t));
            Object.assign(out.properties, sub.properties);
            sub.required.forEach((t) => out.required.add(t));
            out.items ??= sub.items;
            continue;
        }
        for (const t of [p.type ?? []].flat()) out.types.add(t);
        for (const [name, prop] of Object.entries(p.properties ?? {})) {
            out.properties[name] = flatten(spec, pf, prop, depth + 1);
        }
        for (const name of p.required ?? []) out.required.add(name);
        if (p.items) out.items = flatten(spec, pf, p.items, depth + 1);
        if (p.enum) out.enum = p.enum;
        if (p.example !== undefined && out.example === undefined) out.example = expandExample(p.example, pf);
    }
    if (out.types.size === 0 && Object.keys(out.properties).length > 0) out.types.add("object");
    return out;
}

/** A plausible value for a flattened schema (for required properties without an example). */
function sampleValue(flat, depth = 0) {
    if (flat.example !== undefined) return structuredClone(flat.example);
    if (flat.enum) return flat.enum[0];
    const t = [...flat.types][0];
    switch (t) {
        case "string":
            return "fuzz";
        case "integer":
        case "number":
            return 1;
        case "boolean":
            return true;
        case "array":
            return [];
        case "object": {
            const obj = {};
            if (depth < 4) for (const name of flat.required) obj[name] = sampleValue(flat.properties[name] ?? { types: new Set() }, depth + 1);
            return obj;
        }
        default:
            return "fuzz";
    }
}

/**
 * Every operation of the client-server spec: { method, template, operationId, secured,
 * pathParams, queryParams, body } where body is null or { contentType, flat, base }.
 */
export function listOperations(spec) {
    const seen = new Set();
    const ops = [];
    for (const o of spec.operations) {
        const key = `${o.method} ${o.template}`;
        if (seen.has(key)) continue; // POST /rooms/{roomId}/invite twice (inviteUser, inviteBy3PID)
        seen.add(key);
        const doc = spec.docs.get(o.file);
        const op = doc.paths[o.path][o.method.toLowerCase()];
        const security = op.security ?? doc.security ?? [];
        const secured = security.some((s) => Object.keys(s).length > 0);
        const params = (op.parameters ?? []).map((p) => deref(spec, o.file, p));
        const pathParams = params.filter((p) => p.node?.in === "path").map((p) => p.node.name);
        const queryParams = params
            .filter((p) => p.node?.in === "query")
            .map((p) => ({
                name: p.node.name,
                required: !!p.node.required,
                flat: flatten(spec, p.file, p.node.schema ?? {}),
                example: p.node.example,
            }));
        let body = null;
        if (op.requestBody) {
            const rb = deref(spec, o.file, op.requestBody);
            const content = rb.node?.content ?? {};
            const json = content["application/json"];
            if (json) {
                const flat = flatten(spec, rb.file, json.schema ?? {});
                let example = json.example ?? Object.values(json.examples ?? {})[0]?.value ?? flat.example;
                example = example === undefined ? sampleValue(flat) : expandExample(example, rb.file);
                body = { contentType: "application/json", flat, base: example };
            } else {
                body = { contentType: Object.keys(content)[0] ?? "application/octet-stream", flat: null, base: null };
            }
        }
        ops.push({ method: o.method, template: o.template, operationId: o.operationId, secured, pathParams, queryParams, body });
    }
    return ops.sort((a, b) => (a.template + a.method).localeCompare(b.template + b.method));
}

// ---------------------------------------------------------------------------------------------
// The malformed variants.

/** Operations that would end the fuzz user's session or membership: run last, on their own tokens. */
export const SESSION_ENDING = new Set([
    "changePassword",
    "deleteDevices",
    "deleteDevice",
    "logout",
    "deactivateAccount",
    "logout_all",
]);
/** Operations that change the fuzz room's membership or make it obsolete: run after the rest. */
export const ROOM_ENDING = new Set(["leaveRoom", "forgetRoom", "kick", "ban", "unban", "upgradeRoom"]);

function pathParamValue(name, ids, rng) {
    switch (name) {
        case "roomId":
        case "roomIdOrAlias":
            return ids.roomId;
        case "userId":
            return ids.userId;
        case "eventId":
            return ids.eventId;
        case "deviceId":
            return ids.deviceId;
        case "serverName":
            return ids.serverName;
        case "mediaId":
            return ids.mediaId;
        case "filterId":
            return ids.filterId;
        case "roomAlias":
            return ids.roomAlias;
        case "type":
        case "eventType":
            return "org.example.fuzz";
        case "stateKey":
            return "";
        case "txnId":
            return `fuzz${rng.alnum(12)}`;
        case "kind":
            return "override";
        case "ruleId":
            return "org.example.fuzzrule";
        case "receiptType":
            return "m.read";
        case "keyName":
            return "displayname";
        case "relType":
            return "m.thread";
        case "version":
            return "1";
        case "sessionId":
            return "fuzzsession";
        case "tag":
            return "u.fuzz";
        case "protocol":
            return "irc";
        case "fileName":
            return "fuzz.txt";
        default:
            return "fuzz";
    }
}

function buildPath(template, values) {
    return template.replace(/\{([^}]+)\}/g, (_, name) => values[name]);
}

function deepNest(depth, kind) {
    return kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

const TYPE_SAMPLES = {
    string: () => "fuzz-string",
    number: () => 12345,
    boolean: () => true,
    array: () => ["fuzz", 1],
    object: () => ({ fuzz: { nested: 1 } }),
    null: () => null,
};

/** JSON types other than the property's own (integer counts as number). */
function wrongTypes(flat) {
    const own = new Set([...flat.types].map((t) => (t === "integer" ? "number" : t)));
    return Object.keys(TYPE_SAMPLES).filter((t) => !own.has(t));
}

function placeholderJson(base, key, placeholder) {
    const obj = base && typeof base === "object" && !Array.isArray(base) ? structuredClone(base) : {};
    obj[key] = placeholder;
    return JSON.stringify(obj);
}

/**
 * The request list for one seed: [{ id, label, kind, op, method, path, headers, body, phase,
 * tokenSlot }] (body a Buffer or undefined). `ids` holds the real IDs and the fuzz user's token.
 */
export function buildRequests(ops, ids, seed) {
    const rng = new Rng(seed);
    const requests = [];
    const LONG_A = rng.alnum(100_000);
    const long = (n) => LONG_A.slice(0, n);
    let sessionSlot = 0;
    for (const op of ops) {
        const phase = SESSION_ENDING.has(op.operationId) ? 3 : ROOM_ENDING.has(op.operationId) ? 2 : 1;
        const tokenSlot = phase === 3 ? sessionSlot++ : null;
        const values = Object.fromEntries(op.pathParams.map((p) => [p, pathParamValue(p, ids, rng)]));
        if (phase === 3 && op.pathParams.includes("deviceId")) values.deviceId = ids.sessionDevices[tokenSlot];
        const baseQuery = {};
        for (const q of op.queryParams) {
            if (!q.required) continue;
            baseQuery[q.name] = String(q.example ?? q.flat.enum?.[0] ?? sampleValue(q.flat));
        }
        const qs = (query) => {
            const entries = Object.entries(query);
            return entries.length ? "?" + entries.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&") : "";
        };
        const encodedQuery = Object.fromEntries(Object.entries(baseQuery).map(([k, v]) => [k, encodeURIComponent(v)]));
        const basePath = buildPath(op.template, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)])));
        const baseHeaders = () => {
            const h = { Accept: "application/json" };
            if (op.secured) h.Authorization = `Bearer __TOKEN__`;
            return h;
        };
        const baseBody = () => {
            if (!op.body) return undefined;
            if (op.body.contentType === "application/json") return JSON.stringify(op.body.base);
            return "fuzz media content";
        };
        const add = (kind, label, { family = label, pathname = basePath + qs(encodedQuery), headers, body = baseBody(), contentType } = {}) => {
            const h = headers ?? baseHeaders();
            if (body !== undefined && contentType !== null) {
                h["Content-Type"] = contentType ?? op.body?.contentType ?? "application/json";
            }
            requests.push({
                id: requests.length,
                kind,
                label,
                family,
                op,
                method: op.method,
                path: pathname,
                headers: h,
                body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"),
                phase,
                tokenSlot,
            });
        };

        // 0. The plain request (real IDs, the spec's example body): anything but a 5xx.
        add("baseline", "baseline");

        // 1. Bodies.
        if (op.body?.contentType === "application/json") {
            const base = op.body.base;
            const props = Object.keys(op.body.flat?.properties ?? {});
            const propKey = () => (props.length ? rng.pick(props) : "fuzz");
            add("body", "invalid JSON", {
                body: rng.pick(['{"a":', "{", '{"a":1}}', "[1,2", "nul", "{'a':1}", '{"a":1,}', '{"a" 1}', "\u0000", "{}garbage"]),
            });
            add("body", "empty body", { body: "" });
            const ctype = rng.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "garbage/\u00ff"]);
            add("body", `Content-Type ${ctype}`, {
                family: "non-JSON content type",
                body: JSON.stringify(base),
                contentType: ctype,
            });
            add("body", "JSON body without content type", { body: JSON.stringify(base), contentType: null });
            const rootType = rng.pick(["array", "string", "number", "null", "true"]);
            add("body", `top-level ${rootType}`, {
                family: "top-level non-object",
                body: { array: "[1,2,3]", string: '"fuzz"', number: "42", null: "null", true: "true" }[rootType],
            });
            const key = propKey();
            const surrogate = rng.pick(["\\ud800", "\\udc00", "x\\ud83d", "\\udfff\\ud800"]);
            add("body", `lone surrogate "${surrogate}" in ${key}`, {
                family: "lone surrogate in a value",
                body: placeholderJson(base, key, "__SURROGATE__").replace('"__SURROGATE__"', `"${surrogate}"`),
            });
            const surrogateKey = placeholderJson(base, "__K__", 1).replace('"__K__"', `"k\\ud800"`);
            add("body", "lone surrogate in a key", { body: surrogateKey });
            const nestKey = propKey();
            const nestKind = rng.pick(["array", "object"]);
            add("body", `${nestKind} nested 5000 deep in ${nestKey}`, {
                family: "nested 5000 deep",
                body: placeholderJson(base, nestKey, "__NEST__").replace('"__NEST__"', deepNest(5000, nestKind)),
            });
            const arrKey = propKey();
            const element = rng.pick([0, "x", {}, [], null]);
            add("body", `20,000-element array in ${arrKey}`, {
                family: "20,000-element array",
                body: placeholderJson(base, arrKey, new Array(20_000).fill(element)),
            });
            const strKey = propKey();
            add("body", `100 KB string in ${strKey}`, { family: "100 KB string", body: placeholderJson(base, strKey, long(100_000)) });
            // Wrong JSON types, per top-level property (and one level down), sampled.
            const candidates = [];
            for (const [name, flat] of Object.entries(op.body.flat?.properties ?? {})) {
                for (const t of wrongTypes(flat)) candidates.push({ keys: [name], type: t });
                for (const [sub, subFlat] of Object.entries(flat.properties ?? {})) {
                    for (const t of wrongTypes(subFlat)) candidates.push({ keys: [name, sub], type: t });
                }
            }
            for (const c of rng.sample(candidates, 8)) {
                const obj = base && typeof base === "object" && !Array.isArray(base) ? structuredClone(base) : {};
                if (c.keys.length === 2) {
                    const inner = obj[c.keys[0]] && typeof obj[c.keys[0]] === "object" && !Array.isArray(obj[c.keys[0]]) ? obj[c.keys[0]] : {};
                    inner[c.keys[1]] = TYPE_SAMPLES[c.type]();
                    obj[c.keys[0]] = inner;
                } else {
                    obj[c.keys[0]] = TYPE_SAMPLES[c.type]();
                }
                add("body", `${c.keys.join(".")} as ${c.type}`, { family: `a property as ${c.type}`, body: JSON.stringify(obj) });
            }
        } else if (op.body) {
            add("body", "empty media body", { body: "" });
            add("body", "garbage content type", { body: long(1000), contentType: rng.pick(["", "/", "a/b; charset=\u00ff", ";;;"]) });
        }

        // 2. Path parameters.
        if (op.pathParams.length) {
            const bad = [
                ["2,000-character", () => long(2000)],
                ["10,000-character (over the request-line limit)", () => long(10_000)],
                ["percent-garbage", () => rng.pick(["%", "%zz", "%ZZ%", "%ED%A0%80", "%FF%FE", "%C0%AF", "%25%", "%00", "a%2Fb%2F..%2F"])],
                ["unicode", () => encodeURIComponent(rng.pick(["ü🎉", "\u202e\u0000", "日本語", "\ufeff", "𝕏".repeat(50)]))],
                ["raw non-ASCII bytes", () => rng.pick(["\u00e9", "\u00ff\u00fe", "caf\u00e9"])],
                ["empty", () => ""],
            ];
            for (const [label, make] of rng.sample(bad, 4)) {
                const param = rng.pick(op.pathParams);
                const v = { ...Object.fromEntries(Object.entries(values).map(([k, x]) => [k, encodeURIComponent(x)])), [param]: make() };
                add("path", `${label} ${param}`, { family: `${label} path parameter`, pathname: buildPath(op.template, v) + qs(encodedQuery) });
            }
        }

        // 3. Query parameters.
        const queryVariants = [];
        for (const q of op.queryParams) {
            const t = [...q.flat.types][0] ?? "string";
            let bad;
            if (t === "integer" || t === "number") {
                bad = ["-1", "-9223372036854775808", "9223372036854775808", "99999999999999999999999", "1e400", "abc", "", "1.5", "0x10", "NaN"];
            } else if (t === "boolean") {
                bad = ["maybe", "", "1", "TRUE"];
            } else {
                bad = [long(3000), "%zz", "%ED%A0%80", encodeURIComponent("ü🎉\u0000"), "", encodeURIComponent(deepNest(800, "array")), encodeURIComponent("{")];
            }
            for (const value of rng.sample(bad, 3)) queryVariants.push([q.name, value, t]);
        }
        for (const [name, value, t] of rng.sample(queryVariants, 6)) {
            const label = value.length > 40 ? `${value.length}-character` : JSON.stringify(value);
            add("query", `${name}=${label}`, { family: `${t} parameter = ${label}`, pathname: basePath + qs({ ...encodedQuery, [name]: value }) });
        }
        if (op.queryParams.length) {
            const q = rng.pick(op.queryParams).name;
            add("query", `${q} given 50 times`, {
                family: "parameter given 50 times",
                pathname: basePath + qs(encodedQuery) + (Object.keys(encodedQuery).length ? "&" : "?") + Array(50).fill(`${q}=1`).join("&"),
            });
        }

        // 4. Headers.
        const hugeName = rng.pick(["X-Fuzz-Padding", "Authorization", "Cookie", "User-Agent"]);
        {
            const h = baseHeaders();
            h[hugeName] = hugeName === "Authorization" ? `Bearer __TOKEN__${long(9000)}` : long(9000);
            add("header", `9,000-byte ${hugeName} header`, { headers: h });
        }
        {
            const h = baseHeaders();
            for (let i = 0; i < 300; i++) h[`X-Fuzz-${i}`] = String(i);
            add("header", "300 extra headers", { headers: h });
        }
        if (op.secured) {
            const h = baseHeaders();
            delete h.Authorization;
            add("header", "no Authorization", { headers: h });
        }
        {
            const h = baseHeaders();
            const garbage = rng.pick([
                "Bearer",
                "Bearer ",
                "Bearer \u00ff\u00fe",
                "Basic Zm9vOmJhcg==",
                "Bearer a b c",
                "bearer __TOKEN__x",
                `Bearer ${long(2000)}`,
                "Bearer __TOKEN__, Bearer __TOKEN__",
                "Bearer %00",
                "\u00e9",
            ]);
            h.Authorization = garbage;
            add("header", `garbage Authorization ${JSON.stringify(garbage.length > 40 ? `${garbage.slice(0, 20)}…(${garbage.length})` : garbage)}`, { headers: h });
        }
    }
    return requests;
}

// ---------------------------------------------------------------------------------------------
// Sending.

export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends requests over a kept-alive connection pool (node:http Agent, `concurrency` sockets).
 * Each socket remembers what it carried, so a request that gets no answer can be told apart:
 * the previous exchange on the same (reused) connection is part of the report.
 */
export class FuzzClient {
    constructor(baseUrl, { concurrency = 4, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
        const u = new URL(baseUrl);
        this.host = u.hostname;
        this.port = Number(u.port);
        this.timeoutMs = timeoutMs;
        this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
        this.history = new WeakMap(); // socket -> [{ label, status, connection }]
        this.socketIds = new WeakMap();
        this.nextSocketId = 1;
    }

    close() {
        this.agent.destroy();
    }

    /** Resolves to { status, headers, bodyText, ms, reused, socketId, previous } or { error, timedOut, ms, ... }. */
    send(req, headers) {
        const started = Date.now();
        return new Promise((resolve) => {
            let done = false;
            let socketInfo = {};
            const finish = (result) => {
                if (done) return;
                done = true;
                clearTimeout(timer);
                resolve({ ms: Date.now() - started, ...socketInfo, ...result });
            };
            const outHeaders = { ...headers };
            if (req.body) outHeaders["Content-Length"] = String(req.body.length);
            let r;
            try {
                r = http.request({
                    host: this.host,
                    port: this.port,
                    method: req.method,
                    path: req.path,
                    headers: outHeaders,
                    agent: this.agent,
                });
            } catch (e) {
                // node:http refused to send it (an invalid header character): the client's limit.
                resolve({ clientRefused: `${e.code ?? e.name}: ${e.message}`, ms: 0 });
                return;
            }
            const timer = setTimeout(() => {
                finish({ timedOut: true, error: `no response within ${this.timeoutMs} ms` });
                r.destroy();
            }, this.timeoutMs);
            r.on("socket", (socket) => {
                if (!this.socketIds.has(socket)) {
                    this.socketIds.set(socket, this.nextSocketId++);
                    // What the connection saw, for a request that gets no answer on it.
                    socket.fuzzSeen = { bytesIn: 0, ended: false };
                    socket.on("data", (c) => (socket.fuzzSeen.bytesIn += c.length));
                    socket.on("end", () => (socket.fuzzSeen.ended = true));
                }
                const past = this.history.get(socket) ?? [];
                this.history.set(socket, past);
                const previous = past.at(-1);
                socketInfo = {
                    socketId: this.socketIds.get(socket),
                    reused: r.reusedSocket,
                    previous: previous && { ...previous, idleMs: Date.now() - previous.at },
                    carried: past.length,
                    seen: socket.fuzzSeen,
                    bytesInBefore: socket.fuzzSeen.bytesIn,
                };
            });
            r.on("response", (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const bodyText = Buffer.concat(chunks).toString("utf8");
                    const past = r.socket && this.history.get(r.socket);
                    past?.push({ label: `${req.method} ${req.op.operationId} [${req.label}]`, status: res.statusCode, connection: res.headers.connection, at: Date.now() });
                    finish({ status: res.statusCode, headers: res.headers, bodyText });
                });
                res.on("error", (e) => finish({ error: `response aborted: ${e.code ?? ""} ${e.message}` }));
            });
            r.on("error", (e) => finish({ error: `${e.code ?? e.name}: ${e.message}` }));
            if (req.body) r.end(req.body);
            else r.end();
        });
    }
}

/**
 * The same request once more, over a fresh TCP connection of its own with `Connection: close`,
 * written byte for byte: tells a server that does not answer from a client that did not send.
 */
export function sendRaw(baseUrl, req, headers, timeoutMs = REQUEST_TIMEOUT_MS) {
    const u = new URL(baseUrl);
    return new Promise((resolve) => {
        const started = Date.now();
        const socket = net.connect(Number(u.port), u.hostname);
        const chunks = [];
        let settled = false;
        const done = (result) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            socket.destroy();
            resolve({ ms: Date.now() - started, ...result });
        };
        const timer = setTimeout(() => done({ timedOut: true }), timeoutMs);
        socket.on("data", (c) => {
            chunks.push(c);
            const text = Buffer.concat(chunks).toString("latin1");
            const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
            if (m && text.includes("\r\n\r\n")) done({ status: Number(m[1]), head: text.slice(0, text.indexOf("\r\n\r\n")) });
        });
        socket.on("error", (e) => done({ error: e.code ?? e.message }));
        socket.on("close", () => done({ error: chunks.length ? "closed mid-response" : "closed without a response" }));
        const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${u.host}`, "Connection: close"];
        for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
        if (req.body) lines.push(`Content-Length: ${req.body.length}`);
        socket.write(Buffer.from(lines.join("\r\n") + "\r\n\r\n", "latin1"));
        if (req.body) socket.write(req.body);
    });
}

// ---------------------------------------------------------------------------------------------
// Checking.

const STACK_TRACE = /\bat (?:org|java|javax|jdk|io|reactor|com|sun|kotlin)\.|Exception|\tat /;
const ECHO_LIMIT = 200;

/** The length (≥ ECHO_LIMIT, roughly) of a run of `inputs` that `text` repeats, or 0. */
function echoedRun(text, inputs) {
    if (text.length < ECHO_LIMIT) return 0;
    const long = inputs.filter((s) => s && s.length >= ECHO_LIMIT);
    if (!long.length) return 0;
    let run = 0;
    let best = 0;
    const step = 50;
    for (let i = 0; i + ECHO_LIMIT <= text.length; i += step) {
        const window = text.slice(i, i + ECHO_LIMIT);
        if (long.some((s) => s.includes(window))) {
            run = run ? run + step : ECHO_LIMIT;
            best = Math.max(best, run);
        } else {
            run = 0;
        }
    }
    return best;
}

function safeDecode(s) {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** What is wrong with the answer to `req`: a list of { kind, detail } (empty: fine). */
export function checkResponse(req, headers, res) {
    if (res.clientRefused) return [];
    if (res.timedOut) return [{ kind: "no response within 10 s", detail: res.error }];
    if (res.error) return [{ kind: "connection failed without a response", detail: res.error }];
    const problems = [];
    const { status, bodyText } = res;
    if (status >= 500) problems.push({ kind: `HTTP ${status}`, detail: bodyText.slice(0, 300) });
    if (status >= 400) {
        const ctype = res.headers["content-type"] ?? "";
        let body;
        try {
            body = JSON.parse(bodyText);
        } catch {
            // below
        }
        if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
            problems.push({
                kind: `${status} body is not a JSON object`,
                detail: `Content-Type ${JSON.stringify(ctype)}, body ${JSON.stringify(bodyText.slice(0, 200))}`,
            });
        } else {
            const uia = status === 401 && Array.isArray(body.flows);
            if (!uia && (typeof body.errcode !== "string" || !/^M_[A-Z0-9_]+$/.test(body.errcode))) {
                problems.push({ kind: `${status} without an M_* errcode`, detail: bodyText.slice(0, 300) });
            }
            if (!/^application\/json\b/i.test(ctype)) {
                problems.push({ kind: `${status} JSON error with Content-Type ${ctype || "(none)"}`, detail: bodyText.slice(0, 200) });
            }
            if (typeof body.error === "string") {
                const inputs = [req.path, safeDecode(req.path), ...Object.values(headers).map(String), req.body?.toString("utf8")];
                const run = echoedRun(body.error, inputs);
                if (run > 0) {
                    problems.push({
                        kind: "error echoes over 200 characters of the request",
                        detail: `error is ${body.error.length} chars, ≥${run} of them copied from the request: ${JSON.stringify(body.error.slice(0, 160))}…`,
                    });
                }
            }
        }
        if (STACK_TRACE.test(bodyText)) {
            const m = STACK_TRACE.exec(bodyText);
            problems.push({ kind: `${status} body looks like a stack trace`, detail: bodyText.slice(Math.max(0, m.index - 100), m.index + 200) });
        }
    }
    return problems;
}

function sizeOf(headers) {
    let total = 0;
    for (const [k, v] of Object.entries(headers)) total += k.length + String(v).length + 4;
    return total;
}

function excerpt(text, n = 160) {
    return text.length > n ? `${JSON.stringify(text.slice(0, n))}…(${text.length} chars)` : JSON.stringify(text);
}

/** One compact line-set that is enough to send the request again. */
export function formatRepro(req, headers, res, seed) {
    const big = Object.entries(headers)
        .filter(([, v]) => String(v).length > 100)
        .map(([k, v]) => `${k}: ${String(v).length} B`);
    const lines = [
        `${req.method} ${excerpt(req.path, 200)}  (${req.op.operationId}, variant "${req.label}", seed ${seed}, request #${req.id})`,
        `  headers: ${Object.keys(headers).length} (${sizeOf(headers)} B)${big.length ? `, large: ${big.join(", ")}` : ""}` +
            (headers.Authorization !== undefined ? `, Authorization ${String(headers.Authorization).length} B` : ", no Authorization"),
    ];
    if (req.body) lines.push(`  body: ${req.body.length} B, Content-Type ${JSON.stringify(headers["Content-Type"] ?? null)}: ${excerpt(req.body.toString("utf8"))}`);
    if (res.status !== undefined) lines.push(`  answer: ${res.status} in ${res.ms} ms: ${excerpt(res.bodyText ?? "", 200)}`);
    if (res.socketId !== undefined) {
        const prev = res.previous
            ? `request ${res.carried + 1} on it, ${res.previous.idleMs} ms after ${res.previous.label} -> ${res.previous.status} (Connection: ${res.previous.connection ?? "-"})`
            : "first request on it";
        const seen = res.timedOut || res.error
            ? `; meanwhile ${res.seen.bytesIn - res.bytesInBefore} bytes came in${res.seen.ended ? " and the server closed its side" : ", the connection stayed open"}`
            : "";
        lines.push(`  connection #${res.socketId}, ${res.reused ? "reused (keep-alive)" : "new"}, ${prev}${seen}`);
    }
    if (res.raw) {
        const r = res.raw;
        lines.push(`  again on a fresh raw socket: ${r.timedOut ? `no answer within ${REQUEST_TIMEOUT_MS} ms either` : r.status ? `${r.status} in ${r.ms} ms` : r.error}`);
    }
    return lines.join("\n");
}
