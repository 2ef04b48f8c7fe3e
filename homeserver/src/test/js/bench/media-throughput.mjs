// Benchmark (not a test; `npm test` never runs it): upload and download throughput of the content repository on
// the packaged jar for 1 MB and 50 MB files, next to `cp` and `dd` copying a file of the same size on the same
// disk (the server's data directory) in the same run, and the time to make a thumbnail. Run it through
// homeserver/bench/media-throughput.sh. Loopback only; every loop is bounded by a count.
//
//   warm-up    BENCH_WARMUP_ROUNDS (100) rounds of a 1 MB upload, its download and GET /media/config, unmeasured:
//              the JIT compiles the paths first (a fresh JVM answers its first requests several times slower)
//   upload     POST /_matrix/media/v3/upload, the body streamed from memory, until the 200 with content_uri
//   download   GET /_matrix/client/v1/media/download/..., until the last byte; and until the response headers
//   floor      GET /_matrix/client/v1/media/config in the same rounds: what any authenticated request costs
//   cp / dd    cp src dst; dd if=src of=dst bs=1M (page cache, no fsync: what Myelin's store does too)
//   thumbnail  first GET /thumbnail of a fresh PNG (decode + scale + encode + store), then the same again (stored)

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { deflateSync } from "node:zlib";
import { startServer } from "../lib/server.mjs";

const MB = 1_000_000;
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP_ROUNDS ?? 100);
const CASES = [
    { size: 1 * MB, rounds: Number(process.env.BENCH_SMALL_ROUNDS ?? 30) },
    { size: 50 * MB, rounds: Number(process.env.BENCH_LARGE_ROUNDS ?? 5) },
];
const THUMB_IMAGES = [
    { width: 1000, height: 750, count: 5 },
    { width: 4000, height: 3000, count: 3 },
];

let base;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function call(method, pathName, { token, body, type = "application/json" } = {}) {
    return new Promise((resolve, reject) => {
        const headers = {};
        if (token) headers.Authorization = `Bearer ${token}`;
        let payload = body;
        if (body !== undefined && !Buffer.isBuffer(body)) payload = Buffer.from(JSON.stringify(body));
        if (payload !== undefined) {
            headers["Content-Type"] = type;
            headers["Content-Length"] = payload.length;
        }
        const started = performance.now();
        const req = http.request({ host: base.hostname, port: base.port, method, path: pathName, headers, agent }, (res) => {
            const headersMs = performance.now() - started;
            let bytes = 0;
            const chunks = [];
            // Only JSON (answers, errors) is kept: copying and decoding a 1 MB download would add ~15 ms to it.
            const keep = String(res.headers["content-type"]).startsWith("application/json");
            res.on("data", (c) => {
                bytes += c.length;
                if (keep) chunks.push(c);
            });
            res.on("end", () => resolve({ status: res.statusCode, bytes, headersMs, text: Buffer.concat(chunks).toString("utf8") }));
        });
        req.setTimeout(300_000, () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        req.end(payload);
    });
}

async function json(promise, status = 200) {
    const r = await promise;
    if (r.status !== status) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 200)}`);
    return JSON.parse(r.text);
}

async function register(name) {
    const body = { username: `${name}_${randomBytes(4).toString("hex")}`, password: randomBytes(12).toString("hex") };
    const challenge = await json(call("POST", "/_matrix/client/v3/register", { body }), 401);
    return json(call("POST", "/_matrix/client/v3/register", {
        body: { ...body, auth: { type: "m.login.dummy", session: challenge.session } },
    }));
}

function seconds(fn) {
    const t = performance.now();
    fn();
    return (performance.now() - t) / 1000;
}

function median(values) {
    const s = [...values].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
}

function png(width, height, seed) {
    const crcTable = Array.from({ length: 256 }, (_, n) => {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        return c >>> 0;
    });
    const crc = (buf) => {
        let c = 0xffffffff;
        for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
        return (c ^ 0xffffffff) >>> 0;
    };
    const chunk = (type, data) => {
        const out = Buffer.alloc(12 + data.length);
        out.writeUInt32BE(data.length, 0);
        out.write(type, 4, "ascii");
        data.copy(out, 8);
        out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
        return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    const row = 1 + width * 3;
    const raw = Buffer.alloc(height * row);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * row + 1 + x * 3;
            raw[i] = (x + seed) & 0xff;
            raw[i + 1] = (y * 7 + seed) & 0xff;
            raw[i + 2] = ((x ^ y) + seed) & 0xff;
        }
    }
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr),
        chunk("IDAT", deflateSync(raw, { level: 1 })), chunk("IEND", Buffer.alloc(0))]);
}

async function main() {
    const server = await startServer({
        env: { MYELIN_MEDIA_MAX_UPLOAD_BYTES: String(64 * 1024 * 1024), MYELIN_HTTP_BODY_TIMEOUT: "300s" },
    });
    base = new URL(server.baseUrl);
    const dataDir = server.settings.dataDir;
    const rows = [];
    const thumbs = [];
    try {
        const user = await register("mediabench");
        const token = user.access_token;
        const warmBody = randomBytes(MB);
        for (let i = 0; i < WARMUP_ROUNDS; i++) {
            warmBody.writeUInt32BE(i, 0);
            const { content_uri } = await json(call("POST", "/_matrix/media/v3/upload", { token, body: warmBody, type: "application/octet-stream" }));
            await call("GET", `/_matrix/client/v1/media/download/${content_uri.slice(6)}`, { token });
            await json(call("GET", "/_matrix/client/v1/media/config", { token }));
        }
        for (const { size, rounds } of CASES) {
            const body = randomBytes(size);
            const up = [];
            const down = [];
            const firstByte = [];
            const floor = [];
            for (let i = 0; i < rounds + 1; i++) {
                body.writeUInt32BE(i + WARMUP_ROUNDS, 0); // distinct content each round: no deduplication shortcut
                let t = performance.now();
                const { content_uri } = await json(call("POST", "/_matrix/media/v3/upload", { token, body, type: "application/octet-stream" }));
                const upS = (performance.now() - t) / 1000;
                t = performance.now();
                const got = await call("GET", `/_matrix/client/v1/media/download/${content_uri.slice(6)}`, { token });
                const downS = (performance.now() - t) / 1000;
                if (got.status !== 200 || got.bytes !== size) throw new Error(`download: ${got.status}, ${got.bytes} bytes`);
                t = performance.now();
                await json(call("GET", "/_matrix/client/v1/media/config", { token }));
                const floorMs = performance.now() - t;
                if (i > 0) { // round 0 warms up
                    up.push(upS);
                    down.push(downS);
                    firstByte.push(got.headersMs);
                    floor.push(floorMs);
                }
            }
            const src = path.join(dataDir, "bench-src");
            writeFileSync(src, body);
            const cp = [];
            const dd = [];
            for (let i = 0; i < rounds; i++) {
                const dst = path.join(dataDir, `bench-dst-${i}`);
                cp.push(seconds(() => execFileSync("cp", [src, dst])));
                rmSync(dst);
                dd.push(seconds(() => execFileSync("dd", [`if=${src}`, `of=${dst}`, "bs=1M", "status=none"])));
                rmSync(dst);
            }
            rmSync(src);
            const mbps = (s) => (size / MB / s).toFixed(0);
            const ms = (values) => median(values).toFixed(1);
            rows.push({ size: `${size / MB} MB`, rounds, upload: mbps(median(up)), download: mbps(median(down)), cp: mbps(median(cp)), dd: mbps(median(dd)),
                uploadMs: ms(up.map((x) => x * 1000)), downloadMs: ms(down.map((x) => x * 1000)), firstByte: ms(firstByte), floor: ms(floor) });
        }
        for (const { width, height, count } of THUMB_IMAGES) {
            const first = [];
            const again = [];
            let bytes = 0;
            for (let i = 0; i < count; i++) {
                const image = png(width, height, i * 37 + width);
                bytes = image.length;
                const { content_uri } = await json(call("POST", "/_matrix/media/v3/upload", { token, body: image, type: "image/png" }));
                const uri = `/_matrix/client/v1/media/thumbnail/${content_uri.slice(6)}?width=320&height=240&method=scale`;
                let t = performance.now();
                const made = await call("GET", uri, { token });
                first.push(performance.now() - t);
                t = performance.now();
                await call("GET", uri, { token });
                again.push(performance.now() - t);
                if (made.status !== 200) throw new Error(`thumbnail: ${made.status} ${made.text.slice(0, 200)}`);
            }
            thumbs.push({ image: `${width}×${height} PNG (${(bytes / MB).toFixed(1)} MB)`, count, first: median(first).toFixed(0), again: median(again).toFixed(1) });
        }
    } finally {
        agent.destroy();
        await server.stop();
    }
    console.log(`${WARMUP_ROUNDS} warm-up rounds`);
    console.log("| file | rounds | upload MB/s | download MB/s | cp MB/s | dd bs=1M MB/s | upload ms | download ms | download headers ms | GET /config ms |");
    console.log("|------|-------:|------------:|--------------:|--------:|--------------:|----------:|------------:|--------------------:|---------------:|");
    for (const r of rows) console.log(`| ${r.size} | ${r.rounds} | ${r.upload} | ${r.download} | ${r.cp} | ${r.dd} | ${r.uploadMs} | ${r.downloadMs} | ${r.firstByte} | ${r.floor} |`);
    console.log("");
    console.log("| image | images | first 320×240 thumbnail, ms (median) | stored, ms |");
    console.log("|-------|-------:|-----------------------------------:|-----------:|");
    for (const t of thumbs) console.log(`| ${t.image} | ${t.count} | ${t.first} | ${t.again} |`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
