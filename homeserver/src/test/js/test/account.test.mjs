// Accounts: registration through User-Interactive Auth, username availability, password
// login, whoami, refresh tokens, logout, and the failure paths around them.

import assert from "node:assert/strict";
import { expectMatrixError, uniqueLocalpart, useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

function passwordLogin(client, username, password, extra = {}) {
    return client.login("m.login.password", {
        identifier: { type: "m.id.user", user: username },
        password,
        ...extra,
    });
}

hs.scenario("registration goes through UIA: 401 challenge with flows and session, then m.login.dummy", async (ctx) => {
    const { username, challenge, response, client } = await ctx.registerUser("uia", {
        initial_device_display_name: "interop register",
    });

    assert.ok(Array.isArray(challenge.flows) && challenge.flows.length > 0, "challenge has flows");
    assert.ok(
        challenge.flows.some((f) => f.stages.length === 1 && f.stages[0] === "m.login.dummy"),
        `a flow of just m.login.dummy is offered with open registration: ${JSON.stringify(challenge.flows)}`,
    );

    assert.equal(response.user_id, `@${username}:${hs.serverName}`);
    assert.equal(typeof response.access_token, "string");
    assert.equal(typeof response.device_id, "string");

    const me = await client.whoami();
    assert.equal(me.user_id, response.user_id);
    assert.equal(me.device_id, response.device_id);
});

hs.scenario("GET /register/available: a fresh name is available, a taken one is M_USER_IN_USE", async (ctx) => {
    const anonymous = ctx.client();
    assert.equal(await anonymous.isUsernameAvailable(uniqueLocalpart("free")), true);

    const { username } = await ctx.registerUser("taken");
    // matrix-js-sdk maps the documented 400 M_USER_IN_USE to false; the exchange is validated too.
    assert.equal(await anonymous.isUsernameAvailable(username), false);
    const taken = ctx.recorder.exchanges.at(-1);
    assert.equal(taken.status, 400, `GET /register/available for a taken name answered ${taken.status}`);
    assert.equal(JSON.parse(taken.responseBody).errcode, "M_USER_IN_USE");
});

hs.scenario("registering an existing name is 400 M_USER_IN_USE before any UIA", async (ctx) => {
    const { username } = await ctx.registerUser("dup");
    await expectMatrixError(
        ctx.client().registerRequest({ username, password: "another-password" }),
        400,
        "M_USER_IN_USE",
    );
});

hs.scenario("GET /login offers m.login.password; password login with an m.id.user identifier, then whoami", async (ctx) => {
    const { username, password, userId, response: registered } = await ctx.registerUser("login");
    const client = ctx.client();
    const { flows } = await client.loginFlows();
    assert.ok(
        flows.some((f) => f.type === "m.login.password"),
        `GET /login offers m.login.password: ${JSON.stringify(flows)}`,
    );
    const login = await passwordLogin(client, username, password);
    assert.equal(login.user_id, userId);
    assert.equal(typeof login.access_token, "string");
    assert.equal(typeof login.device_id, "string");
    assert.notEqual(login.device_id, registered.device_id, "a login without device_id gets a new device");

    const me = await client.whoami();
    assert.equal(me.user_id, userId);
    assert.equal(me.device_id, login.device_id);
});

hs.scenario("login with a wrong password is 403 M_FORBIDDEN", async (ctx) => {
    const { username } = await ctx.registerUser("wrongpw");
    await expectMatrixError(passwordLogin(ctx.client(), username, "not-the-password"), 403, "M_FORBIDDEN");
});

hs.scenario("refresh: login with refresh_token, POST /refresh, the new access token works", async (ctx) => {
    const { username, password, userId } = await ctx.registerUser("refresh");
    const login = await passwordLogin(ctx.client(), username, password, { refresh_token: true });
    assert.equal(typeof login.refresh_token, "string", `login with refresh_token: true returned ${JSON.stringify(login)}`);

    const client = ctx.client({
        userId,
        deviceId: login.device_id,
        accessToken: login.access_token,
        refreshToken: login.refresh_token,
    });
    const refreshed = await client.refreshToken(login.refresh_token);
    assert.equal(typeof refreshed.access_token, "string");
    assert.notEqual(refreshed.access_token, login.access_token, "/refresh issues a new access token");

    client.setAccessToken(refreshed.access_token);
    const me = await client.whoami();
    assert.equal(me.user_id, userId);
    assert.equal(me.device_id, login.device_id, "the refreshed token belongs to the same device");
});

hs.scenario("logout: afterwards the old access token is 401 M_UNKNOWN_TOKEN", async (ctx) => {
    const { client, userId } = await ctx.registerUser("logout");
    assert.equal((await client.whoami()).user_id, userId);
    assert.deepEqual(await client.logout(), {});
    await expectMatrixError(client.whoami(), 401, "M_UNKNOWN_TOKEN");
});

hs.scenario("a request without an access token is 401 M_MISSING_TOKEN", async (ctx) => {
    const { status, body } = await ctx.request("GET", "/_matrix/client/v3/account/whoami");
    assert.equal(status, 401, JSON.stringify(body));
    assert.equal(body.errcode, "M_MISSING_TOKEN");
});
