// Server discovery and metadata: /versions, /.well-known/matrix/client, /capabilities, and
// the answer to an endpoint that does not exist.

import assert from "node:assert/strict";
import { MINIMUM_MATRIX_VERSION } from "matrix-js-sdk";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

hs.scenario("GET /_matrix/client/versions advertises a version matrix-js-sdk accepts", async (ctx) => {
    const client = ctx.client();
    const versions = await client.getVersions();
    assert.ok(versions.versions.length > 0);
    assert.ok(
        await client.isVersionSupported(MINIMUM_MATRIX_VERSION),
        `matrix-js-sdk needs at least ${MINIMUM_MATRIX_VERSION}; the server offers ${versions.versions.join(", ")}`,
    );
});

hs.scenario("GET /.well-known/matrix/client is the documented 200 or 404", async (ctx) => {
    const { status, body } = await ctx.request("GET", "/.well-known/matrix/client");
    assert.ok(status === 200 || status === 404, `status ${status}: ${JSON.stringify(body)}`);
    if (status === 200) {
        assert.doesNotThrow(() => new URL(body["m.homeserver"].base_url), "m.homeserver.base_url is a URL");
    }
});

hs.scenario("GET /capabilities for a logged-in user", async (ctx) => {
    const { client } = await ctx.registerUser("caps");
    const capabilities = await client.fetchCapabilities();
    assert.equal(typeof capabilities, "object");
    assert.notEqual(capabilities, null);
});

hs.scenario("an unknown endpoint is 404 M_UNRECOGNIZED", async (ctx) => {
    const { status, body } = await ctx.request("GET", "/_matrix/client/v3/myelin/interop/no-such-endpoint", {
        unspecifiedEndpoint: true,
    });
    assert.equal(status, 404, JSON.stringify(body));
    assert.equal(body.errcode, "M_UNRECOGNIZED");
});
