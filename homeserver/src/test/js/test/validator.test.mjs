// The validator itself, without a server: the spec's own examples must pass, deliberately
// wrong bodies must fail, and the fetch wrapper must record what it sees.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
