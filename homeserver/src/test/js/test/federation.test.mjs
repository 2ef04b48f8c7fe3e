// The federation listener (TLS on its own port): the key server and the version endpoint.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";
import { federationFetch } from "../lib/federation-fetch.mjs";
import { createValidatedFetch } from "../lib/validated-fetch.mjs";

const hs = useHomeserver();

function fetchOverFederation(ctx) {
    return createValidatedFetch({ spec: hs.spec, recorder: ctx.recorder, fetchImpl: federationFetch });
}

hs.scenario("GET /_matrix/key/v2/server over TLS publishes a self-signed key document", async (ctx) => {
    const response = await fetchOverFederation(ctx)(`${hs.federationUrl}/_matrix/key/v2/server`);
    assert.equal(response.status, 200);
    const doc = await response.json();
    assert.equal(doc.server_name, hs.serverName);
    const keyIds = Object.keys(doc.verify_keys);
    assert.equal(keyIds.length, 1, JSON.stringify(doc));
    assert.match(keyIds[0], /^ed25519:[A-Za-z0-9_]+$/);
    assert.ok(doc.valid_until_ts > Date.now(), "valid_until_ts lies in the future");
    assert.ok(doc.signatures[hs.serverName][keyIds[0]], "signed with the key it publishes");
});

hs.scenario("GET /_matrix/federation/v1/version names the software", async (ctx) => {
    const response = await fetchOverFederation(ctx)(`${hs.federationUrl}/_matrix/federation/v1/version`);
    assert.equal(response.status, 200);
    const { server } = await response.json();
    assert.equal(server.name, "Myelin");
    assert.ok(server.version.length > 0);
});

hs.scenario("the federation listener answers client paths 404 M_UNRECOGNIZED", async () => {
    const response = await federationFetch(`${hs.federationUrl}/_matrix/client/versions`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).errcode, "M_UNRECOGNIZED");
});
