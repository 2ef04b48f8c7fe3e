// The server-server API beyond chat, between two federating Myelin servers (lib/federated-servers.mjs): what a
// client of one server does that makes it ask the other (profiles, keys of a user in no shared room, the public room
// directory, a space hierarchy, media, knocks, invites it rejects, presence, to-device messages, device lists, an
// event near a timestamp), and
// what the federation listener answers anyone (version, server keys, notary queries, OpenID userinfo). The proxy in
// front of each listener checks every request and answer against the server-server OpenAPI files (the harness
// fails a scenario on a violation); the assertions here check that the feature worked across the servers.

import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { Preset } from "matrix-js-sdk";
import { canonicalJson } from "../lib/federation-check.mjs";
import { federationFetch } from "../lib/federation-fetch.mjs";
import { useFederatedHomeservers } from "../lib/harness.mjs";
import { eventually, startSyncing } from "../lib/live.mjs";
import { png, pngSize } from "../lib/png.mjs";

// A lists its published rooms to B (off by default, as in Synapse). C only takes part in the gap scenario.
const hs = useFederatedHomeservers(3, { env: { MYELIN_FEDERATION_PUBLIC_ROOMS: "true" } });
const [A, B, C] = [0, 1, 2];
/** As in federation-chat.test.mjs: a first contact fetches keys, delivery retries each second, a loaded machine. */
const CROSS_MS = 20_000;

const enc = encodeURIComponent;

/** A fresh user on server `index`; `sync` starts its client's sync loop. */
async function user(ctx, prefix, index, { sync = false } = {}) {
    const created = await ctx.registerUser(prefix, { baseUrl: hs.servers[index].baseUrl });
    if (sync) await startSyncing(created.client);
    return { ...created, index, token: created.response.access_token };
}

/** A client-server request as `who` to its own server; resolves to { status, body }. */
function call(ctx, who, method, path, body) {
    return ctx.request(method, path, { accessToken: who.token, body, baseUrl: hs.servers[who.index].baseUrl });
}

async function ok(ctx, who, method, path, body) {
    const res = await call(ctx, who, method, path, body);
    assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(res.body)}`);
    return res.body;
}

/** A request straight to server `index`'s federation listener (through its proxy), as a third party makes it. */
async function federation(index, method, path, body) {
    const res = await federationFetch(`${hs.servers[index].federationUrl}${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(ctx, who, path) {
    const res = await ctx.fetch(`${hs.servers[who.index].baseUrl}${path}`, { headers: { Authorization: `Bearer ${who.token}` } });
    assert.equal(res.status, 200, `GET ${path}`);
    return { headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

function membership(client, roomId) {
    return client.getRoom(roomId)?.getMyMembership();
}

hs.scenario("bob on B reads alice's profile, A's public room directory, a space that reaches into A, and A's media", async (ctx) => {
    const alice = await user(ctx, "alice", A);
    const bob = await user(ctx, "bob", B);
    const displayname = `Alice of A ${randomBytes(3).toString("hex")}`;
    await ok(ctx, alice, "PUT", `/_matrix/client/v3/profile/${enc(alice.userId)}/displayname`, { displayname });
    const profile = await ok(ctx, bob, "GET", `/_matrix/client/v3/profile/${enc(alice.userId)}`);
    assert.equal(profile.displayname, displayname, "B fetched the profile from A (query/profile)");
    // They share no room, so B has no device list of alice's to answer from and asks A.
    const keys = await ok(ctx, bob, "POST", "/_matrix/client/v3/keys/query", { device_keys: { [alice.userId]: [] } });
    assert.deepEqual(keys.failures, {}, "A answered user/keys/query");
    assert.ok(alice.userId in keys.device_keys, JSON.stringify(keys));

    const name = `directory ${randomBytes(4).toString("hex")}`;
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, visibility: "public", name });
    const server = enc(hs.servers[A].serverName);
    const listed = await ok(ctx, bob, "GET", `/_matrix/client/v3/publicRooms?server=${server}&limit=50`);
    assert.ok(listed.chunk.some((r) => r.room_id === roomId), `A's directory through B: ${JSON.stringify(listed)}`);
    const found = await ok(ctx, bob, "POST", `/_matrix/client/v3/publicRooms?server=${server}`,
        { limit: 10, filter: { generic_search_term: name } });
    assert.deepEqual(found.chunk.map((r) => r.room_id), [roomId], "the filtered directory of A through B");

    const { room_id: spaceId } = await bob.client.createRoom({ preset: Preset.PublicChat, name: "bob's space",
        creation_content: { type: "m.space" } });
    await ok(ctx, bob, "PUT", `/_matrix/client/v3/rooms/${enc(spaceId)}/state/m.space.child/${enc(roomId)}`,
        { via: [hs.servers[A].serverName] });
    const hierarchy = await ok(ctx, bob, "GET", `/_matrix/client/v1/rooms/${enc(spaceId)}/hierarchy`);
    const child = hierarchy.rooms.find((r) => r.room_id === roomId);
    assert.equal(child?.name, name, `B asked A for the child room it is not in (hierarchy): ${JSON.stringify(hierarchy)}`);

    const image = png(200, 100);
    const { content_uri: uri } = await alice.client.uploadContent(image, { name: "a.png", type: "image/png" });
    const media = uri.slice("mxc://".length);
    const original = await download(ctx, bob, `/_matrix/client/v1/media/download/${media}`);
    assert.deepEqual(original.bytes, image, "B fetched the bytes from A (media/download)");
    const thumbnail = await download(ctx, bob, `/_matrix/client/v1/media/thumbnail/${media}?width=32&height=32&method=crop`);
    assert.deepEqual(pngSize(thumbnail.bytes), { width: 32, height: 32 }, "A's thumbnail through B (media/thumbnail)");
});

hs.scenario("bob on B knocks on alice's room on A and is let in; an invite to another room he rejects", async (ctx) => {
    const alice = await user(ctx, "alice", A, { sync: true });
    const bob = await user(ctx, "bob", B, { sync: true });
    const { room_id: roomId } = await alice.client.createRoom({
        preset: Preset.PrivateChat,
        name: "knock here",
        initial_state: [{ type: "m.room.join_rules", state_key: "", content: { join_rule: "knock" } }],
    });
    const knocked = await ok(ctx, bob, "POST", `/_matrix/client/v3/knock/${enc(roomId)}?server_name=${enc(hs.servers[A].serverName)}`,
        { reason: "let me in" });
    assert.equal(knocked.room_id, roomId);
    await eventually(() => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === "knock",
        "bob's knock at alice (make_knock, send_knock)", CROSS_MS);
    await alice.client.invite(roomId, bob.userId);
    await eventually(() => membership(bob.client, roomId) === "invite", "the invite at bob", CROSS_MS);
    await bob.client.joinRoom(roomId);
    await eventually(() => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === "join",
        "bob joined at alice", CROSS_MS);
    await bob.client.leave(roomId);
    await eventually(() => alice.client.getRoom(roomId)?.getMember(bob.userId)?.membership === "leave",
        "bob left at alice", CROSS_MS);

    const { room_id: other } = await alice.client.createRoom({ preset: Preset.PrivateChat, name: "not for bob" });
    await alice.client.invite(other, bob.userId);
    await eventually(() => membership(bob.client, other) === "invite", "the second invite at bob", CROSS_MS);
    await bob.client.leave(other);
    await eventually(() => alice.client.getRoom(other)?.getMember(bob.userId)?.membership === "leave",
        "bob's rejection at alice (make_leave, send_leave)", CROSS_MS);
});

hs.scenario("presence, a to-device message, a new device of bob's and his cross-signing keys cross to the other server", async (ctx) => {
    const alice = await user(ctx, "alice", A);
    const bob = await user(ctx, "bob", B);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "ephemeral" });
    await bob.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });

    const statusMsg = `around ${randomBytes(3).toString("hex")}`;
    await ok(ctx, alice, "PUT", `/_matrix/client/v3/presence/${enc(alice.userId)}/status`, { presence: "online", status_msg: statusMsg });
    await eventually(async () => (await call(ctx, bob, "GET", `/_matrix/client/v3/presence/${enc(alice.userId)}/status`))
        .body.status_msg === statusMsg, "alice's presence at B (m.presence)", CROSS_MS);

    let since = (await ok(ctx, bob, "GET", "/_matrix/client/v3/sync?timeout=0")).next_batch;
    const nonce = randomBytes(4).toString("hex");
    await ok(ctx, alice, "PUT", `/_matrix/client/v3/sendToDevice/org.example.ping/${nonce}`,
        { messages: { [bob.userId]: { [bob.client.getDeviceId()]: { nonce } } } });
    await eventually(async () => {
        const sync = await ok(ctx, bob, "GET", `/_matrix/client/v3/sync?timeout=1000&since=${enc(since)}`);
        since = sync.next_batch;
        return (sync.to_device?.events ?? []).some((e) => e.type === "org.example.ping" && e.content.nonce === nonce
            && e.sender === alice.userId);
    }, "alice's to-device message at bob (m.direct_to_device)", CROSS_MS);

    const device = `NEW${randomBytes(3).toString("hex").toUpperCase()}`;
    const login = await ctx.request("POST", "/_matrix/client/v3/login", {
        baseUrl: hs.servers[B].baseUrl,
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: bob.username }, password: bob.password, device_id: device },
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const second = { token: login.body.access_token, index: B };
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const unpadded = (bytes) => Buffer.from(bytes).toString("base64").replace(/=+$/, "");
    const deviceKeys = {
        user_id: bob.userId,
        device_id: device,
        algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
        keys: {
            [`curve25519:${device}`]: unpadded(randomBytes(32)),
            [`ed25519:${device}`]: unpadded(Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url")),
        },
    };
    deviceKeys.signatures = { [bob.userId]: { [`ed25519:${device}`]: unpadded(sign(null, Buffer.from(canonicalJson(deviceKeys)), privateKey)) } };
    await ok(ctx, second, "POST", "/_matrix/client/v3/keys/upload", { device_keys: deviceKeys });
    await eventually(async () => {
        const keys = await ok(ctx, alice, "POST", "/_matrix/client/v3/keys/query", { device_keys: { [bob.userId]: [] } });
        return device in (keys.device_keys?.[bob.userId] ?? {});
    }, "bob's new device at A (m.device_list_update, user/devices or user/keys/query)", CROSS_MS);

    // Cross-signing keys: a master key, and self- and user-signing keys it signs.
    const crossSigning = (usage, signer) => {
        const pair = generateKeyPairSync("ed25519");
        const id = unpadded(Buffer.from(pair.publicKey.export({ format: "jwk" }).x, "base64url"));
        const key = { user_id: bob.userId, usage: [usage], keys: { [`ed25519:${id}`]: id } };
        if (signer) {
            key.signatures = { [bob.userId]: { [`ed25519:${signer.id}`]: unpadded(sign(null, Buffer.from(canonicalJson(key)), signer.privateKey)) } };
        }
        return { id, privateKey: pair.privateKey, key };
    };
    const master = crossSigning("master");
    const upload = {
        master_key: master.key,
        self_signing_key: crossSigning("self_signing", master).key,
        user_signing_key: crossSigning("user_signing", master).key,
    };
    let uploaded = await call(ctx, bob, "POST", "/_matrix/client/v3/keys/device_signing/upload", upload);
    if (uploaded.status === 401) {
        uploaded = await call(ctx, bob, "POST", "/_matrix/client/v3/keys/device_signing/upload", {
            ...upload,
            auth: { type: "m.login.password", identifier: { type: "m.id.user", user: bob.username }, password: bob.password,
                session: uploaded.body.session },
        });
    }
    assert.equal(uploaded.status, 200, JSON.stringify(uploaded.body));
    await eventually(async () => {
        const keys = await ok(ctx, alice, "POST", "/_matrix/client/v3/keys/query", { device_keys: { [bob.userId]: [] } });
        return keys.master_keys?.[bob.userId]?.keys?.[`ed25519:${master.id}`] === master.id;
    }, "bob's master key at A (m.signing_key_update)", CROSS_MS);
});

hs.scenario("bob on B, who joined after alice's first messages, finds the event nearest a time before his join", async (ctx) => {
    const alice = await user(ctx, "alice", A);
    const bob = await user(ctx, "bob", B);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "old times" });
    const early = await alice.client.sendTextMessage(roomId, "early");
    const { chunk } = await ok(ctx, alice, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=1`);
    const earlyTs = chunk[0].origin_server_ts;
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 3; i++) await alice.client.sendTextMessage(roomId, `later ${i}`);
    await bob.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });
    const found = await ok(ctx, bob, "GET", `/_matrix/client/v1/rooms/${enc(roomId)}/timestamp_to_event?ts=${earlyTs}&dir=f`);
    assert.equal(found.event_id, early.event_id, "B asked A for the event near the time (timestamp_to_event, event)");
});

/** The bodies of the m.room.message events `who` reads in `roomId`'s latest page. */
async function bodies(ctx, who, roomId) {
    const { chunk } = await ok(ctx, who, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=20`);
    return chunk.filter((e) => e.type === "m.room.message").map((e) => e.content.body);
}

hs.scenario("B, cut off from A, gets carol's reply from C and asks C for alice's message it missed", async (ctx) => {
    const alice = await user(ctx, "alice", A);
    const bob = await user(ctx, "bob", B);
    const carol = await user(ctx, "carol", C);
    const { room_id: roomId } = await alice.client.createRoom({ preset: Preset.PublicChat, name: "three servers" });
    for (const who of [bob, carol]) await who.client.joinRoom(roomId, { viaServers: [hs.servers[A].serverName] });
    await eventually(async () => (await ok(ctx, bob, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`))
        .joined[carol.userId] !== undefined, "carol's join at B", CROSS_MS);

    const fromA = hs.servers[A].serverName;
    hs.servers[B].proxy.refuse(({ origin, path }) => origin === fromA && path.startsWith("/_matrix/federation/v1/send/"));
    try {
        const question = `question ${randomBytes(3).toString("hex")}`;
        await alice.client.sendTextMessage(roomId, question);
        await eventually(async () => (await bodies(ctx, carol, roomId)).includes(question), "alice's message at C", CROSS_MS);
        // carol's reply follows alice's message (its prev_events), which B has not got.
        const answer = `answer ${randomBytes(3).toString("hex")}`;
        await carol.client.sendTextMessage(roomId, answer);
        await eventually(async () => {
            const seen = await bodies(ctx, bob, roomId);
            return seen.includes(answer) && seen.includes(question);
        }, "both messages at B while A cannot reach it (get_missing_events from C)", CROSS_MS);
    } finally {
        hs.servers[B].proxy.refuse(null);
    }
});

hs.scenario("the federation listener answers anyone: version, server keys, notary queries and OpenID userinfo", async (ctx) => {
    const version = await federation(A, "GET", "/_matrix/federation/v1/version");
    assert.equal(version.status, 200);
    assert.equal(typeof version.body.server?.name, "string");
    const keys = await federation(A, "GET", "/_matrix/key/v2/server");
    assert.equal(keys.body.server_name, hs.servers[A].serverName);

    const serverB = hs.servers[B].serverName;
    const bulk = await federation(A, "POST", "/_matrix/key/v2/query", { server_keys: { [serverB]: {} } });
    assert.equal(bulk.status, 200);
    assert.ok(bulk.body.server_keys.some((k) => k.server_name === serverB), `A vouches for B's keys: ${JSON.stringify(bulk.body)}`);
    const single = await federation(A, "GET", `/_matrix/key/v2/query/${enc(serverB)}`);
    assert.equal(single.status, 200);
    assert.ok(single.body.server_keys.some((k) => k.server_name === serverB));

    const alice = await user(ctx, "alice", A);
    const token = await ok(ctx, alice, "POST", `/_matrix/client/v3/user/${enc(alice.userId)}/openid/request_token`, {});
    const userinfo = await federation(A, "GET", `/_matrix/federation/v1/openid/userinfo?access_token=${enc(token.access_token)}`);
    assert.equal(userinfo.status, 200);
    assert.equal(userinfo.body.sub, alice.userId);
    const wrong = await federation(A, "GET", "/_matrix/federation/v1/openid/userinfo?access_token=nonsense");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.errcode, "M_UNKNOWN_TOKEN");
});
