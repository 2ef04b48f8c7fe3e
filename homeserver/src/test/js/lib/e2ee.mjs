// Helpers for scenarios with matrix-js-sdk's Rust crypto (@matrix-org/matrix-sdk-crypto-wasm,
// initRustCrypto with its in-memory store, as Node has no IndexedDB): users whose clients encrypt,
// encrypted rooms, and waits for device keys and decrypted messages.

import { MatrixEventEvent, Preset } from "matrix-js-sdk";
import { LIVE_TIMEOUT_MS, eventually, startSyncing, waitFor } from "./live.mjs";

/** A registered user whose client runs Rust crypto and syncs (through `baseUrl`, another node or server, if given). */
export async function cryptoUser(ctx, prefix, baseUrl) {
    const registered = await ctx.registerUser(prefix, baseUrl ? { baseUrl } : {});
    await registered.client.initRustCrypto({ useIndexedDB: false });
    await startSyncing(registered.client);
    return registered;
}

/**
 * alice makes an encrypted public room and the others join it (through `viaServers` when they are on
 * other servers); every client sees every member joined, within `timeoutMs`.
 */
export async function encryptedRoom(alice, others, { viaServers, timeoutMs } = {}) {
    const { room_id: roomId } = await alice.client.createRoom({
        preset: Preset.PublicChat,
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    for (const other of others) await other.client.joinRoom(roomId, viaServers ? { viaServers } : {});
    for (const viewer of [alice, ...others]) {
        for (const member of [alice, ...others]) await joined(viewer.client, roomId, member.userId, timeoutMs);
    }
    return roomId;
}

export async function joined(client, roomId, userId, timeoutMs) {
    await eventually(() => client.getRoom(roomId)?.getMember(userId)?.membership === "join",
        `${userId} joined at ${client.getUserId()}`, timeoutMs);
}

/**
 * Waits until `viewer`'s crypto knows `deviceId` of `userId`. With `download` it may ask the server; without, only
 * its tracked device lists count, which it refreshes when /sync names the user in `device_lists.changed`.
 */
export async function knowsDevice(viewer, userId, deviceId, { download = true, timeoutMs } = {}) {
    await eventually(async () => (await viewer.client.getCrypto().getUserDeviceInfo([userId], download))
        .get(userId)?.has(deviceId), `${viewer.userId} to learn of ${userId}'s device ${deviceId}`, timeoutMs);
}

/** Resolves once `client` has decrypted the message `text` in `roomId`. */
export function decrypted(client, roomId, text, timeoutMs = LIVE_TIMEOUT_MS) {
    const found = () =>
        client
            .getRoom(roomId)
            ?.getLiveTimeline()
            .getEvents()
            .some((e) => e.isEncrypted() && !e.isDecryptionFailure() && e.getContent().body === text);
    return waitFor(
        client,
        MatrixEventEvent.Decrypted,
        (event) => event.getRoomId() === roomId && !event.isDecryptionFailure() && event.getContent().body === text,
        `${client.getUserId()}/${client.getDeviceId()} to decrypt "${text}"`,
        { now: found, timeoutMs },
    );
}

export async function send(sender, roomId, text) {
    const { event_id: eventId } = await sender.client.sendTextMessage(roomId, text);
    return eventId;
}
