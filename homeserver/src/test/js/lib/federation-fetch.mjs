// A fetch for the federation listener: HTTPS that accepts its self-signed test certificate (Node's own fetch has
// no per-request switch for that). Only what the scenarios need: method, headers, a string body.

import https from "node:https";

const TIMEOUT_MS = 10_000;

export async function federationFetch(resource, init = {}) {
    const url = new URL(String(resource));
    return new Promise((resolve, reject) => {
        const req = https.request(
            url,
            { method: init.method ?? "GET", headers: init.headers ?? {}, rejectUnauthorized: false, timeout: TIMEOUT_MS },
            (res) => {
                const chunks = [];
                res.on("data", (c) => chunks.push(c));
                res.on("end", () => {
                    const headers = new Headers();
                    for (const [name, value] of Object.entries(res.headers)) {
                        headers.set(name, Array.isArray(value) ? value.join(", ") : String(value));
                    }
                    resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers }));
                });
                res.on("error", reject);
            },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in ${TIMEOUT_MS} ms`)));
        req.on("error", reject);
        if (init.body !== undefined) req.write(init.body);
        req.end();
    });
}
