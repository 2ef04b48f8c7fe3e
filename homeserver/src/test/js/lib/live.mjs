// Helpers for scenarios with running sync loops (matrix-js-sdk's startClient): waiting for a
// client-side event with a deadline, starting a client, and a store that restarts a new client
// from a saved next_batch token as a persisting client (IndexedDB in a browser) does.

import { ClientEvent, MemoryStore } from "matrix-js-sdk";

/** How long a live update may take before a wait fails (the server must not be this slow). */
export const LIVE_TIMEOUT_MS = 10_000;

/**
 * Resolves with the listener's arguments the first time `predicate(...args)` is true for
 * `event` on `emitter`; rejects after `timeoutMs` with `what` in the message. `predicate` is
 * also tried once right away with no arguments when `now` is given, for state already there.
 */
export function waitFor(emitter, event, predicate, what, { timeoutMs = LIVE_TIMEOUT_MS, now } = {}) {
    return new Promise((resolve, reject) => {
        if (now?.()) {
            resolve([]);
            return;
        }
        const timer = setTimeout(() => {
            emitter.off(event, listener);
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        function listener(...args) {
            let matched;
            try {
                matched = predicate(...args);
            } catch (e) {
                matched = false;
                clearTimeout(timer);
                emitter.off(event, listener);
                reject(e);
                return;
            }
            if (!matched) return;
            clearTimeout(timer);
            emitter.off(event, listener);
            resolve(args);
        }
        emitter.on(event, listener);
    });
}

/** Starts the client's sync loop; resolves once its first sync is processed (PREPARED). */
export function startSyncing(client, opts = {}) {
    const ready = new Promise((resolve, reject) => {
        const listener = (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") {
                client.off(ClientEvent.Sync, listener);
                resolve();
            } else if (state === "ERROR") {
                client.off(ClientEvent.Sync, listener);
                reject(data?.error ?? new Error("the first sync failed"));
            }
        };
        client.on(ClientEvent.Sync, listener);
    });
    return client.startClient({ initialSyncLimit: 5, ...opts }).then(() => ready);
}

/**
 * A MemoryStore that reports `token` as the saved sync token, so a client created with it
 * continues with `GET /sync?since=token` instead of an initial sync, as a client restarting
 * from its persisted state does (without the cached rooms: only the token is "persisted").
 */
export class SavedTokenStore extends MemoryStore {
    constructor(token) {
        super();
        this.savedToken = token;
    }

    getSavedSyncToken() {
        return Promise.resolve(this.savedToken);
    }
}

/** p50 and max of a list of numbers. */
export function summarize(values) {
    const sorted = [...values].sort((a, b) => a - b);
    return { n: sorted.length, p50: sorted[Math.floor((sorted.length - 1) / 2)], max: sorted.at(-1) };
}

/**
 * Polls `check` (sync or async) every 100 ms until it holds; fails after `timeoutMs` with `what`.
 * For state a client builds up over several events (a room first seen in a sync gets its members
 * only after its timeline events were emitted, so waiting for one event could miss the moment).
 */
export async function eventually(check, what, timeoutMs = LIVE_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
