// Test images made in code, so the tests need no image file.

import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";

/** A real RGB PNG of width x height (a gradient), made here so the test needs no image file. */
export function png(width, height) {
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
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    const raw = Buffer.alloc(height * (1 + width * 3));
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * (1 + width * 3) + 1 + x * 3;
            raw[i] = (x * 255) / width;
            raw[i + 1] = (y * 255) / height;
            raw[i + 2] = 128;
        }
    }
    return Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        chunk("IHDR", ihdr),
        chunk("IDAT", deflateSync(raw)),
        chunk("IEND", Buffer.alloc(0)),
    ]);
}

/** Width and height from a PNG's IHDR. */
export function pngSize(bytes) {
    const b = Buffer.from(bytes);
    assert.equal(b.subarray(1, 4).toString("ascii"), "PNG", "a PNG");
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
