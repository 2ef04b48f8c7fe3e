// End-to-end encryption with matrix-js-sdk's Rust crypto (@matrix-org/matrix-sdk-crypto-wasm,
// initRustCrypto with its in-memory store, as Node has no IndexedDB): two users in an encrypted
// room decrypt each other's messages; a second device logged in later decrypts new messages;
// cross-signing is bootstrapped, reset through User-Interactive Authentication, and the other
// user sees the master key; a key backup made by one device lets a fresh device decrypt old
// history; two users on two nodes of one homeserver decrypt each other (keys, device lists and to-device
// messages cross the shared database). Every response (/keys/*, /room_keys/*, /sendToDevice, /sync) is checked
// against the OpenAPI schemas by the harness.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";
import { cryptoUser, decrypted, encryptedRoom, joined, knowsDevice, send } from "../lib/e2ee.mjs";
import { eventually, startSyncing } from "../lib/live.mjs";

const hs = useHomeserver();

/** Backups are uploaded after a random delay of up to 10 s; this leaves room for it. */
const BACKUP_TIMEOUT_MS = 30_000;

/** Another device of `user`, logged in with the password, running Rust crypto and syncing. */
async function newDevice(ctx, user, beforeSync = async () => {}) {
    const { status, body } = await ctx.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: user.userId }, password: user.password },
    });
    assert.equal(status, 200, JSON.stringify(body));
    const client = ctx.client({ userId: body.user_id, deviceId: body.device_id, accessToken: body.access_token });
    await client.initRustCrypto({ useIndexedDB: false });
    await beforeSync(client);
    await startSyncing(client);
    return { ...user, client, deviceId: body.device_id, accessToken: body.access_token };
}

hs.scenario("two users in an encrypted room decrypt each other's messages", async (ctx) => {
    const alice = await cryptoUser(ctx, "e2ealice");
    const bob = await cryptoUser(ctx, "e2ebob");
    const roomId = await encryptedRoom(alice, [bob]);
    await knowsDevice(alice, bob.userId, bob.client.getDeviceId());
    await knowsDevice(bob, alice.userId, alice.client.getDeviceId());

    const bobGets = decrypted(bob.client, roomId, "hello bob");
    await send(alice, roomId, "hello bob");
    await bobGets;
    const aliceGets = decrypted(alice.client, roomId, "hello alice");
    await send(bob, roomId, "hello alice");
    await aliceGets;

    const raw = await ctx.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=10`, {
        accessToken: bob.response.access_token,
    });
    const sent = raw.body.chunk.filter((e) => e.sender === alice.userId && e.type === "m.room.encrypted");
    assert.ok(sent.length >= 1, "the server stored the message encrypted");
    assert.ok(!JSON.stringify(raw.body).includes("hello bob"), "the server never saw the plaintext");
});

hs.scenario("a second device logged in later is announced through device_lists and decrypts new messages", async (ctx) => {
    const alice = await cryptoUser(ctx, "e2ecarol");
    const bob = await cryptoUser(ctx, "e2edave");
    const roomId = await encryptedRoom(alice, [bob]);
    await knowsDevice(alice, bob.userId, bob.client.getDeviceId());
    const first = decrypted(bob.client, roomId, "before the laptop");
    await send(alice, roomId, "before the laptop");
    await first;

    const laptop = await newDevice(ctx, bob);
    await joined(laptop.client, roomId, alice.userId);
    await knowsDevice(alice, bob.userId, laptop.deviceId, { download: false });
    const onLaptop = decrypted(laptop.client, roomId, "after the laptop");
    const onPhone = decrypted(bob.client, roomId, "after the laptop");
    await send(alice, roomId, "after the laptop");
    await Promise.all([onLaptop, onPhone]);
});

hs.scenario("cross-signing is bootstrapped, reset through UIA, and the other user sees the master key", async (ctx) => {
    const alice = await cryptoUser(ctx, "e2eerin");
    const bob = await cryptoUser(ctx, "e2efrank");
    const uiaChallenges = [];
    const authUploadDeviceSigningKeys = async (makeRequest) => {
        try {
            await makeRequest(null);
        } catch (e) {
            if (e.httpStatus !== 401 || !e.data?.flows) throw e;
            uiaChallenges.push(e.data);
            await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user: alice.userId },
                password: alice.password,
                session: e.data.session,
            });
        }
    };
    const crypto = alice.client.getCrypto();
    const keysOfAlice = async () => (await ctx.request("POST", "/_matrix/client/v3/keys/query", {
        accessToken: bob.response.access_token,
        body: { device_keys: { [alice.userId]: [] } },
    })).body;

    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys });
    assert.equal(uiaChallenges.length, 0, "the first upload needs no authentication");
    assert.ok(await crypto.isCrossSigningReady());
    const firstMaster = Object.keys((await keysOfAlice()).master_keys[alice.userId].keys)[0];

    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys, setupNewCrossSigning: true });
    assert.equal(uiaChallenges.length, 1, "replacing the keys asks for the password");

    assert.ok(await bob.client.getCrypto().userHasCrossSigningKeys(alice.userId, true));
    const body = await keysOfAlice();
    const master = Object.keys(body.master_keys[alice.userId].keys)[0];
    assert.notEqual(master, firstMaster, "the master key was replaced");
    assert.ok(body.self_signing_keys[alice.userId]);
    assert.equal(body.user_signing_keys[alice.userId], undefined, "only alice sees her user-signing key");
    const device = body.device_keys[alice.userId][alice.client.getDeviceId()];
    const selfSigning = Object.keys(body.self_signing_keys[alice.userId].keys)[0];
    assert.ok(device.signatures[alice.userId][selfSigning], "the device is signed by the new self-signing key");
});

hs.scenario("a fresh device restores the key backup and decrypts old history", async (ctx) => {
    const alice = await cryptoUser(ctx, "e2egrace");
    const crypto = alice.client.getCrypto();
    await crypto.resetKeyBackup();
    const check = await crypto.checkKeyBackupAndEnable();
    const version = await crypto.getActiveSessionBackupVersion();
    assert.ok(version, `a backup version is active: ${JSON.stringify(check)}`);
    const roomId = await encryptedRoom(alice, []);
    await send(alice, roomId, "old secret one");
    await send(alice, roomId, "old secret two");

    await eventually(async () => {
        const { body } = await ctx.request("GET", `/_matrix/client/v3/room_keys/keys?version=${version}`, {
            accessToken: alice.response.access_token,
        });
        return Object.keys(body.rooms?.[roomId]?.sessions ?? {}).length > 0;
    }, "the room key to reach the backup", BACKUP_TIMEOUT_MS);
    const backupKey = await crypto.getSessionBackupPrivateKey();
    assert.ok(backupKey, "the backup's decryption key is known");

    const fresh = await newDevice(ctx, alice, (client) => client.getCrypto().storeSessionBackupPrivateKey(backupKey, version));
    await joined(fresh.client, roomId, alice.userId);
    const result = await fresh.client.getCrypto().restoreKeyBackup();
    assert.ok(result.imported >= 1, `imported ${result.imported} of ${result.total} keys`);
    const events = fresh.client.getRoom(roomId).getLiveTimeline().getEvents().filter((e) => e.isEncrypted());
    for (const event of events) await fresh.client.decryptEventIfNeeded(event, { isRetry: true });
    const bodies = events.map((e) => e.getContent().body);
    assert.ok(bodies.includes("old secret one") && bodies.includes("old secret two"), JSON.stringify(bodies));
});

hs.scenario("two users on two nodes of one homeserver decrypt each other's messages", async (ctx, t) => {
    if (!hs.settings?.dbUrl) {
        t.skip("node A runs on Myelin's embedded PostgreSQL, which a second node cannot share");
        return;
    }
    const nodeB = await hs.startNode();
    const alice = await cryptoUser(ctx, "e2ehank");
    const bob = await cryptoUser(ctx, "e2eivy", nodeB.baseUrl);
    const roomId = await encryptedRoom(alice, [bob]);
    await knowsDevice(alice, bob.userId, bob.client.getDeviceId());
    await knowsDevice(bob, alice.userId, alice.client.getDeviceId());

    const bobGets = decrypted(bob.client, roomId, "across nodes to bob");
    await send(alice, roomId, "across nodes to bob");
    await bobGets;
    const aliceGets = decrypted(alice.client, roomId, "across nodes to alice");
    await send(bob, roomId, "across nodes to alice");
    await aliceGets;
});
