// The validator itself, without a server: the spec's own examples must pass, deliberately
// wrong bodies must fail, and the fetch wrapper must record what it sees.

import assert from "node:assert/strict";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, test } from "node:test";
import { FederationChecker, canonicalJson, parseXMatrix } from "../lib/federation-check.mjs";
import { loadSpec } from "../lib/spec.mjs";
import { Recorder, createValidatedFetch } from "../lib/validated-fetch.mjs";

const spec = loadSpec();
const BASE = "http://127.0.0.1:1";

function check(method, path, status, body, { contentType = "application/json", unspecifiedEndpoint } = {}) {
    return spec.checkExchange({
        method,
        url: BASE + path,
        status,
        contentType,
        bodyText: typeof body === "string" ? body : JSON.stringify(body),
        unspecifiedEndpoint,
    });
}

function exampleOf(operationId, status) {
    for (const ex of spec.responseExamples()) {
        if (ex.operation.operationId === operationId && ex.status === status) return structuredClone(ex.value);
    }
    throw new Error(`no example for ${operationId} ${status}`);
}

describe("operation lookup", () => {
    const cases = [
        ["POST", "/_matrix/client/v3/register", "register"],
        ["GET", "/_matrix/client/v3/register/available", "checkUsernameAvailability"],
        ["POST", "/_matrix/client/v3/login", "login"],
        ["POST", "/_matrix/client/v3/refresh", "refresh"],
        ["GET", "/_matrix/client/v3/account/whoami", "getTokenOwner"],
        ["PUT", "/_matrix/client/v3/profile/%40alice%3Alocalhost/displayname", "setProfileField"],
        ["GET", "/_matrix/client/v3/profile/%40alice%3Alocalhost", "getUserProfile"],
        ["GET", "/_matrix/client/v3/devices", "getDevices"],
        ["PUT", "/_matrix/client/v3/devices/ABCDEF", "updateDevice"],
        ["GET", "/_matrix/client/versions", "getVersions"],
        ["GET", "/.well-known/matrix/client", "getWellknown"],
        ["GET", "/_matrix/client/v3/capabilities", "getCapabilities"],
        ["GET", "/_matrix/client/v3/rooms/!r:localhost/state", "getRoomState"],
        ["GET", "/_matrix/client/v3/rooms/!r:localhost/state/m.room.member/%40a%3Alocalhost", "getRoomStateWithKey"],
        // An empty state key: the trailing slash is optional (rooms.yaml); matrix-js-sdk keeps it.
        ["GET", "/_matrix/client/v3/rooms/!r:localhost/state/m.room.topic/", "getRoomStateWithKey"],
        ["GET", "/_matrix/client/v3/rooms/!r:localhost/state/m.room.topic", "getRoomStateWithKey"],
        ["PUT", "/_matrix/client/v3/rooms/!r:localhost/state/m.room.power_levels/", "setRoomStateWithKey"],
        ["PUT", "/_matrix/client/v3/rooms/!r:localhost/send/m.room.message/t1", "sendMessage"],
    ];
    for (const [method, path, operationId] of cases) {
        test(`${method} ${path} is ${operationId}`, () => {
            assert.equal(spec.findOperation(method, path)?.operationId, operationId);
        });
    }
    test("POST /rooms/{roomId}/invite is both inviteUser and inviteBy3PID", () => {
        const ids = spec.findOperations("POST", "/_matrix/client/v3/rooms/!r%3Alocalhost/invite").map((op) => op.operationId);
        assert.deepEqual(ids.sort(), ["inviteBy3PID", "inviteUser"]);
    });
    test("unknown paths, wrong methods and unspecced prefixes match nothing", () => {
        assert.equal(spec.findOperation("GET", "/_matrix/client/v3/no/such/endpoint"), undefined);
        assert.equal(spec.findOperation("DELETE", "/_matrix/client/v3/register"), undefined);
        assert.equal(spec.findOperation("POST", "/_matrix/client/v1/refresh"), undefined);
    });
});

describe("the spec's own response examples", () => {
    test("every inline application/json example of the client-server API validates", () => {
        const failures = [];
        let count = 0;
        for (const ex of spec.responseExamples()) {
            count++;
            const { schemaRef } = spec.responseSpec(ex.operation, Number(ex.status) || ex.status);
            const errors = spec.validateBody(schemaRef, ex.value);
            if (errors.length) failures.push(`${ex.operation.operationId} ${ex.status}: ${JSON.stringify(errors)}`);
        }
        assert.ok(count > 200, `only ${count} examples found`);
        assert.deepEqual(failures, []);
    });

    test("examples round-trip through checkExchange", () => {
        assert.deepEqual(check("POST", "/_matrix/client/v3/register", 200, exampleOf("register", "200")).problems, []);
        assert.deepEqual(check("GET", "/_matrix/client/versions", 200, exampleOf("getVersions", "200")).problems, []);
        assert.deepEqual(check("POST", "/_matrix/client/v3/login", 200, exampleOf("login", "200")).problems, []);
    });
});

describe("deliberately wrong bodies are rejected", () => {
    test("register 200 with a numeric user_id", () => {
        const body = exampleOf("register", "200");
        body.user_id = 42;
        const { problems } = check("POST", "/_matrix/client/v3/register", 200, body);
        assert.ok(problems.some((p) => p.includes("/user_id must be string")), problems.join("\n"));
    });

    test("register 200 with a user_id that is not a user ID", () => {
        const { problems } = check("POST", "/_matrix/client/v3/register", 200, { user_id: "alice" });
        assert.ok(problems.some((p) => p.includes("/user_id must match")), problems.join("\n"));
    });

    test("register 401 without flows", () => {
        const { problems } = check("POST", "/_matrix/client/v3/register", 401, { session: "x" });
        assert.ok(problems.some((p) => p.includes("'flows'")), problems.join("\n"));
    });

    test("whoami 200 without user_id", () => {
        const { problems } = check("GET", "/_matrix/client/v3/account/whoami", 200, { device_id: "D" });
        assert.ok(problems.some((p) => p.includes("'user_id'")), problems.join("\n"));
    });

    test("a documented error without errcode", () => {
        const { problems } = check("POST", "/_matrix/client/v3/login", 403, { error: "nope" });
        assert.ok(problems.some((p) => p.includes("'errcode'")), problems.join("\n"));
    });

    test("an undocumented error status must still be a standard error", () => {
        assert.deepEqual(
            check("GET", "/_matrix/client/versions", 401, { errcode: "M_MISSING_TOKEN", error: "x" }).problems,
            [],
        );
        const { problems } = check("GET", "/_matrix/client/versions", 401, { error: "x" });
        assert.ok(problems.some((p) => p.includes("standard error") && p.includes("'errcode'")), problems.join("\n"));
    });

    test("an operation described as using UIA may answer an undocumented 401 with a UIA challenge", () => {
        const upload = "/_matrix/client/v3/keys/device_signing/upload";
        const challenge = { flows: [{ stages: ["m.login.password"] }], params: {}, session: "s" };
        assert.deepEqual(check("POST", upload, 401, challenge).problems, []);
        assert.deepEqual(check("POST", upload, 401, { errcode: "M_UNKNOWN_TOKEN", error: "x" }).problems, []);
        const { problems } = check("POST", upload, 401, { session: 5 });
        assert.ok(problems.some((p) => p.includes("User-Interactive Authentication")), problems.join("\n"));
        const notUia = check("GET", "/_matrix/client/versions", 401, challenge).problems;
        assert.ok(notUia.some((p) => p.includes("standard error")), notUia.join("\n"));
    });

    test("where operations share a path, a response must suit one of them", () => {
        const invite = "/_matrix/client/v3/rooms/!r%3Alocalhost/invite";
        const ok = check("POST", invite, 200, {});
        assert.deepEqual(ok.problems, []);
        const bad = check("POST", invite, 403, { error: "no errcode" });
        assert.ok(bad.problems.some((p) => p.startsWith("inviteUser")), bad.problems.join("\n"));
        assert.ok(bad.problems.some((p) => p.startsWith("inviteBy3PID")), bad.problems.join("\n"));
    });

    test("an undocumented success status", () => {
        const { problems } = check("GET", "/_matrix/client/v3/capabilities", 201, { capabilities: {} });
        assert.ok(problems.some((p) => p.includes("does not document status 201")), problems.join("\n"));
    });

    test("a JSON body with another Content-Type", () => {
        const { problems } = check("GET", "/_matrix/client/versions", 200, exampleOf("getVersions", "200"), {
            contentType: "text/plain",
        });
        assert.ok(problems.some((p) => p.includes("Content-Type")), problems.join("\n"));
    });

    test("a body that is not JSON", () => {
        const { problems } = check("GET", "/_matrix/client/versions", 200, "<html>");
        assert.ok(problems.some((p) => p.includes("not JSON")), problems.join("\n"));
    });

    test("an endpoint the spec does not have", () => {
        const path = "/_matrix/client/v3/no/such/endpoint";
        assert.ok(check("GET", path, 404, { errcode: "M_UNRECOGNIZED" }).problems[0].includes("no operation"));
        assert.deepEqual(
            check("GET", path, 404, { errcode: "M_UNRECOGNIZED" }, { unspecifiedEndpoint: true }).problems,
            [],
        );
        assert.equal(check("GET", path, 404, { error: "x" }, { unspecifiedEndpoint: true }).problems.length, 1);
        assert.equal(check("GET", path, 200, {}, { unspecifiedEndpoint: true }).problems.length, 1);
    });
});

describe("validated fetch", () => {
    const fakeFetch = (status, body, headers = { "content-type": "application/json" }) => async () =>
        new Response(body, { status, headers });

    test("passes the body through and records a conforming exchange", async () => {
        const recorder = new Recorder();
        const fetchFn = createValidatedFetch({
            spec,
            recorder,
            fetchImpl: fakeFetch(200, JSON.stringify({ user_id: "@a:localhost", device_id: "D" })),
        });
        const res = await fetchFn(`${BASE}/_matrix/client/v3/account/whoami`, { method: "GET" });
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { user_id: "@a:localhost", device_id: "D" });
        assert.equal(recorder.exchanges.length, 1);
        assert.equal(recorder.violations.length, 0);
    });

    test("records a violation with the schema error and the body", async () => {
        const recorder = new Recorder();
        const fetchFn = createValidatedFetch({ spec, recorder, fetchImpl: fakeFetch(200, '{"device_id":"D"}') });
        const res = await fetchFn(new URL(`${BASE}/_matrix/client/v3/account/whoami?access_token=secret`));
        assert.equal(res.status, 200);
        assert.equal(recorder.violations.length, 1);
        const text = recorder.formatViolations();
        assert.match(text, /GET \/_matrix\/client\/v3\/account\/whoami\?access_token=%3Credacted%3E -> 200 \(getTokenOwner\)/);
        assert.match(text, /response body: \{"device_id":"D"\}/);
        assert.match(text, /PROBLEM: .*'user_id'/);
    });

    test("records a request that got no response, and rethrows", async () => {
        const recorder = new Recorder();
        const failing = async () => {
            throw new TypeError("fetch failed", { cause: Object.assign(new Error("Headers Timeout Error"), { code: "UND_ERR_HEADERS_TIMEOUT" }) });
        };
        const fetchFn = createValidatedFetch({ spec, recorder, fetchImpl: failing });
        await assert.rejects(fetchFn(`${BASE}/_matrix/client/v3/login`, { method: "POST", body: "{}" }), TypeError);
        assert.equal(recorder.violations.length, 1);
        assert.equal(recorder.violations[0].transportError, true);
        assert.match(recorder.formatViolations(), /POST \/_matrix\/client\/v3\/login -> no response[\s\S]*UND_ERR_HEADERS_TIMEOUT/);
    });

    test("keeps null-body statuses intact", async () => {
        const recorder = new Recorder();
        const fetchFn = createValidatedFetch({ spec, recorder, fetchImpl: fakeFetch(204, null, {}) });
        const res = await fetchFn(`${BASE}/_matrix/client/v3/account/whoami`);
        assert.equal(res.status, 204);
        assert.equal(recorder.violations.length, 1, "204 is not documented for whoami");
    });
});

describe("federation checker (lib/federation-check.mjs)", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const publicBase64 = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url").toString("base64").replace(/=+$/, "");
    const ORIGIN = "origin.test:8448";
    const DESTINATION = "destination.test:8448";
    const checker = () => new FederationChecker(spec, {
        keys: async (name) => (name === ORIGIN ? { "ed25519:k1": publicBase64 } : null),
    });

    function signedHeaders(method, target, body, { destination = DESTINATION, origin = ORIGIN } = {}) {
        const json = { method, uri: target, origin, destination };
        if (body !== undefined) json.content = body;
        const sig = sign(null, Buffer.from(canonicalJson(json)), privateKey).toString("base64").replace(/=+$/, "");
        return {
            authorization: `X-Matrix origin="${origin}",destination="${destination}",key="ed25519:k1",sig="${sig}"`,
            ...(body === undefined ? {} : { "content-type": "application/json" }),
        };
    }

    function exchange(method, target, body, response, { status = 200, headers } = {}) {
        return {
            method,
            target,
            headers: headers ?? signedHeaders(method, target, body),
            requestText: body === undefined ? "" : JSON.stringify(body),
            status,
            responseHeaders: { "content-type": "application/json" },
            responseText: JSON.stringify(response),
            destination: DESTINATION,
        };
    }

    const pdu = (overrides = {}) => ({
        auth_events: ["$create"], content: { body: "hi", msgtype: "m.text" }, depth: 3,
        hashes: { sha256: "aGFzaA" }, origin_server_ts: 1, prev_events: ["$prev"], room_id: "!room:origin.test",
        sender: "@alice:origin.test", signatures: { "origin.test": { "ed25519:k1": "c2ln" } }, type: "m.room.message",
        ...overrides,
    });
    const txn = (pdus, edus = []) => ({ origin: ORIGIN, origin_server_ts: 1, pdus, edus });

    test("parseXMatrix reads quoted and bare values, names in any case, spaces around commas", () => {
        assert.deepEqual(parseXMatrix('X-Matrix origin="a.example:8448",Destination=b.example , key="ed25519:k",sig="x\\"y"'),
            { origin: "a.example:8448", destination: "b.example", key: "ed25519:k", sig: 'x"y' });
        assert.equal(typeof parseXMatrix("Bearer abc"), "string");
        assert.equal(typeof parseXMatrix('X-Matrix origin="unterminated'), "string");
    });

    test("a signed transaction of a known room version with valid EDUs passes", async () => {
        const c = checker();
        c.roomVersions.set("!room:origin.test", "11");
        const body = txn([pdu()], [{ edu_type: "m.typing", content: { room_id: "!room:origin.test", user_id: "@alice:origin.test", typing: true } }]);
        const { operationId, problems } = await c.check(exchange("PUT", "/_matrix/federation/v1/send/t1", body, { pdus: {} }));
        assert.equal(operationId, "sendTransaction");
        assert.deepEqual(problems, []);
    });

    test("a tampered body, a missing or misaddressed Authorization and an unknown endpoint are problems", async () => {
        const c = checker();
        const body = txn([]);
        const tampered = exchange("PUT", "/_matrix/federation/v1/send/t1", body, { pdus: {} });
        tampered.requestText = JSON.stringify({ ...body, origin_server_ts: 2 });
        assert.match((await c.check(tampered)).problems.map((p) => p.message).join("\n"), /signature does not verify/);
        const unsigned = exchange("PUT", "/_matrix/federation/v1/send/t1", body, { pdus: {} }, { headers: { "content-type": "application/json" } });
        assert.match((await c.check(unsigned)).problems[0].message, /no Authorization header/);
        const misaddressed = exchange("PUT", "/_matrix/federation/v1/send/t1", body, { pdus: {} },
            { headers: signedHeaders("PUT", "/_matrix/federation/v1/send/t1", body, { destination: "elsewhere.test" }) });
        assert.match((await c.check(misaddressed)).problems.map((p) => p.message).join("\n"), /is not the receiving server/);
        const unknown = exchange("GET", "/_matrix/federation/v1/nonsense", undefined, {});
        assert.match((await c.check(unknown)).problems[0].message, /no operation of the v1.19 server-server API/);
    });

    test("a PDU or EDU against its definition, a bad request body, a missing query parameter and a wrong answer", async () => {
        const c = checker();
        c.roomVersions.set("!room:origin.test", "11");
        const body = txn([pdu({ depth: "3" })], [{ edu_type: "m.typing", content: { room_id: "!room:origin.test", typing: "yes" } }]);
        const { problems } = await c.check(exchange("PUT", "/_matrix/federation/v1/send/t1", body, { pdus: "none" }));
        const where = problems.map((p) => `${p.direction} ${p.pointer}`);
        assert.ok(where.includes("request /pdus/0/depth"), where.join(", "));
        assert.ok(where.includes("request /edus/0/content"), where.join(", "));
        assert.ok(where.includes("request /edus/0/content/typing"), where.join(", "));
        assert.ok(where.some((w) => w.startsWith("response /pdus")), where.join(", "));

        const noOrigin = await c.check(exchange("PUT", "/_matrix/federation/v1/send/t1", { pdus: [] }, { pdus: {} }));
        assert.ok(noOrigin.problems.some((p) => p.direction === "request" && /origin/.test(p.message)));
        const noLimit = await c.check(exchange("GET", "/_matrix/federation/v1/backfill/%21room%3Aorigin.test?v=%24e", undefined,
            { origin: ORIGIN, origin_server_ts: 1, pdus: [] }));
        assert.deepEqual(noLimit.problems.map((p) => `${p.pointer}: ${p.message}`), ["query limit: required query parameter missing"]);
    });

    test("the v12 create event without room_id is the one erratum (and only for m.room.create)", async () => {
        const c = checker();
        c.roomVersions.set("!room", "12");
        const create = pdu({ type: "m.room.create", state_key: "", content: { room_version: "12" }, auth_events: [], prev_events: [], depth: 1 });
        delete create.room_id;
        const message = pdu();
        delete message.room_id;
        const response = { origin: DESTINATION, origin_server_ts: 1, pdus: [create, message] };
        const target = "/_matrix/federation/v1/backfill/%21room?v=%24e&limit=2";
        const { problems } = await c.check(exchange("GET", target, undefined, response));
        assert.deepEqual(problems.map((p) => `${p.pointer}: ${p.message}`),
            ["/pdus/1: required: must have required property 'room_id' {\"missingProperty\":\"room_id\"}"]);
    });
});
